import type { Db, DbTx } from "./client";

type TxOptions = { timeout?: number; maxWait?: number };

/**
 * Runs fn in one transaction: a new one when given the client, the caller's own when given a
 * transaction handle (Prisma's transaction client has no `$transaction`), so a domain function can
 * also be one step of a larger change.
 */
export function inTransaction<T>(db: DbTx, fn: (tx: DbTx) => Promise<T>, options?: TxOptions): Promise<T> {
  const client = db as Partial<Db>;
  return typeof client.$transaction === "function" ? client.$transaction((tx) => fn(tx), options) : fn(db);
}

/**
 * A domain function that owns its transaction (the rule of the house): callers pass the client
 * (or their transaction), never open one for it.
 */
export function transactional<A extends unknown[], R>(fn: (db: DbTx, ...args: A) => Promise<R>, options?: TxOptions): (db: DbTx, ...args: A) => Promise<R> {
  return (db, ...args) => inTransaction(db, (tx) => fn(tx, ...args), options);
}
