import type { Role } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import { hashPassword, verifyPassword } from "../../auth/password";

/**
 * Sign-in with a password, throttled per user name and per address: after a few free failures
 * each further one doubles the wait (1 s, 2 s, 4 s … up to a minute), and past a limit the name or
 * address is locked for a while. Unknown users cost the same Argon2 verification as known ones, so
 * timing does not tell which names exist. Failures are forgotten after a quiet quarter of an hour.
 */
export const THROTTLE = {
  user: { freeFailures: 3, lockAfter: 10 },
  addr: { freeFailures: 10, lockAfter: 50 },
  maxBackoffSec: 60,
  lockMinutes: 15,
  forgetAfterMinutes: 15,
} as const;

type Kind = "user" | "addr";
const keyOf = (kind: Kind, value: string) => `${kind}:${value}`;

/** Until when a name or address must wait after its `failures`-th failure at `at`; null when it need not. Pure. */
export function blockedUntilAfter(kind: Kind, failures: number, at: Date): Date | null {
  const t = THROTTLE[kind];
  if (failures >= t.lockAfter) return new Date(at.getTime() + THROTTLE.lockMinutes * 60_000);
  if (failures < t.freeFailures) return null;
  const seconds = Math.min(2 ** (failures - t.freeFailures), THROTTLE.maxBackoffSec);
  return new Date(at.getTime() + seconds * 1000);
}

let dummyHash: Promise<string> | null = null;
/** A hash to verify against when the user does not exist, so that path costs what a real one does. */
const decoyHash = () => (dummyHash ??= hashPassword("decoy password that matches nothing"));

export type SignInOutcome =
  | {
      ok: true;
      user: { id: number; username: string; displayName: string; email: string | null; role: Role; sessionVersion: number; mustChangePassword: boolean };
    }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "throttled"; retryAfterSec: number };

export async function signInWithPassword(db: DbTx, username: string, password: string, address: string | null, now = new Date()): Promise<SignInOutcome> {
  const keys = [keyOf("user", username.toLowerCase()), ...(address ? [keyOf("addr", address)] : [])];
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys } } });
  const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
  if (until > now.getTime()) return { ok: false, reason: "throttled", retryAfterSec: Math.ceil((until - now.getTime()) / 1000) };

  const user = await db.user.findUnique({ where: { username } });
  const usable = user && !user.disabled && user.passwordHash ? user : null;
  const matches = await verifyPassword(usable?.passwordHash ?? (await decoyHash()), password);
  if (usable && matches) {
    await db.signInThrottle.deleteMany({ where: { key: keys[0]! } });
    const { id, displayName, email, role, sessionVersion, mustChangePassword } = usable;
    return { ok: true, user: { id, username: usable.username, displayName, email, role, sessionVersion, mustChangePassword } };
  }
  await recordFailure(db, keys, now);
  return { ok: false, reason: "wrong" };
}

async function recordFailure(db: DbTx, keys: string[], now: Date): Promise<void> {
  const forgetBefore = new Date(now.getTime() - THROTTLE.forgetAfterMinutes * 60_000);
  for (const key of keys) {
    // One statement per key: concurrent failures each count (no read-modify-write race).
    const [row] = await db.$queryRaw<{ failures: number }[]>`
      INSERT INTO "SignInThrottle" ("key", "failures", "lastFailureAt") VALUES (${key}, 1, ${now})
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN "SignInThrottle"."lastFailureAt" < ${forgetBefore} AND ("SignInThrottle"."blockedUntil" IS NULL OR "SignInThrottle"."blockedUntil" < ${now})
                          THEN 1 ELSE "SignInThrottle"."failures" + 1 END,
        "lastFailureAt" = ${now}
      RETURNING "failures"`;
    const kind = key.startsWith("user:") ? "user" : "addr";
    const blockedUntil = blockedUntilAfter(kind, row!.failures, now);
    if (blockedUntil) await db.signInThrottle.update({ where: { key }, data: { blockedUntil } });
  }
}

/** Names locked now (not merely backing off), for the users page. */
export async function lockedUsers(db: DbTx, now = new Date()): Promise<Map<string, Date>> {
  const rows = await db.signInThrottle.findMany({
    where: { key: { startsWith: "user:" }, blockedUntil: { gt: now }, failures: { gte: THROTTLE.user.lockAfter } },
  });
  return new Map(rows.map((r) => [r.key.slice("user:".length), r.blockedUntil!]));
}

/** An ADMIN lifts a lock (after checking with the person). */
export async function unlockUser(db: DbTx, username: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key: keyOf("user", username.toLowerCase()) } });
}
