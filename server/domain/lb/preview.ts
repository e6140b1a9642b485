import { text as say } from "../../../lib/text";
import { createTwoFilesPatch, diffLines } from "diff";
import type { Db } from "../../db/client";
import { notFound } from "../errors";
import { renderTarget, serverExecutor } from "./deploy";
import { PLUGINS } from "./plugins";
import { loadPoolModel } from "./store";
import { liveVersion } from "./sync";
import { validateConfig } from "./validate";

/** A unified diff, and the +/- line counts the page shows beside it. */
export function diffText(fromName: string, from: string, toName: string, to: string) {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(from, to)) {
    if (part.added) added += part.count ?? 0;
    if (part.removed) removed += part.count ?? 0;
  }
  return { patch: added + removed ? createTwoFilesPatch(fromName, toName, from, to, "", "", { context: 3 }) : "", added, removed };
}

/** What the next sync would push: the file rendered from the database now, its validation, and the diff against what is live. */
export async function previewPool(db: Db, poolId: number) {
  const pool = await db.lbPool.findUnique({ where: { id: poolId }, include: { servers: { orderBy: { id: "asc" }, take: 1 } } });
  if (!pool) throw notFound(say("errors.domain.notFound.pool", { id: poolId }));
  const plugin = PLUGINS[pool.backend];
  const server = pool.servers[0]!;
  const text = plugin.render(await loadPoolModel(db, poolId), renderTarget(pool, server));
  const exec = serverExecutor(server);
  const [live, validation, onServer] = await Promise.all([
    liveVersion(db, poolId),
    validateConfig(plugin, text),
    // what the server really has: a file edited by hand there shows up as drift, and the diff is against it
    exec
      .readFile(pool.configPath)
      .then(
        (t) => t,
        () => null,
      )
      .finally(() => exec.close()),
  ]);
  const base = onServer ?? live?.config ?? "";
  const diff = diffText(onServer !== null ? `${server.ip}:${pool.configPath}` : "live (nothing yet)", base, "pending", text);
  const drift = onServer !== null && live !== null && onServer !== live.config;
  return { server: server.ip, text, validation, live: live ? { number: live.number, createdAt: live.createdAt } : null, drift, diff };
}

/** Any two applied versions of a pool, older first. */
export async function diffVersions(db: Db, poolId: number, a: number, b: number) {
  const rows = await db.lbVersion.findMany({ where: { poolId, number: { in: [a, b] } } });
  const from = rows.find((r) => r.number === Math.min(a, b));
  const to = rows.find((r) => r.number === Math.max(a, b));
  if (!from || !to) throw notFound(say("refusals.libra.noVersion", { pool: poolId, number: !from ? Math.min(a, b) : Math.max(a, b) }));
  return diffText(`version ${from.number}`, from.config, `version ${to.number}`, to.config);
}
