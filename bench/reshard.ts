/**
 * Twemproxy reshard with clients on: a service of 4 Redis shards behind nutcracker holding
 * 1,000,000 keys grows to 6 and shrinks back to 4 (Hedwig's KeyMover: notifications, MIGRATE COPY,
 * catch-up, CLIENT PAUSE WRITE for the last keys and the proxy switch) while a client writes 1,000
 * keys/s (plus as many counter increments) and reads through the proxy. Real processes on this
 * bench's loopback address (127.0.152.1). Prints per direction: keys moved, keys/s, the write pause,
 * the longest wait a client saw, failed requests, and keys lost after checking every key written.
 *   npm run bench -- reshard
 */
import { ownerByName } from "../server/domain/reshard/moves";
import { dropForeignKeys, KeyMover } from "../server/domain/reshard/mover";
import { account, OPS, preload, ShardedService, strays, Writer } from "../tests/integration/reshard-harness";

const KEYS = 1_000_000;
const t0 = Date.now();
/** progress on stderr: stdout carries only the JSON lines */
const say = (m: string) => console.error(`[reshard ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

export async function run() {
  const svc = new ShardedService("127.0.152.1", "bench", 27500, 27550);
  try {
    for (let i = 0; i < 6; i++) await svc.startShard(i);
    await svc.proxy(svc.layout(4));
    say("shards and proxy up");
    await preload(svc, KEYS);
    say(`${KEYS} keys loaded`);
    const writers: Writer[] = [];
    for (const [from, to] of [
      [4, 6],
      [6, 4],
    ] as const) {
      const w = new Writer(svc.client(), 1000, (i) => `k:${(i * 7919 + from) % KEYS}`);
      writers.push(w);
      w.start();
      await new Promise((r) => setTimeout(r, 1000));
      const mover = new KeyMover(svc.layout(from), svc.layout(to), { auth: OPS, onProgress: (p) => say(JSON.stringify(p)) });
      const start = Date.now();
      try {
        await mover.open();
        await mover.copy();
        await mover.cutover(
          () => svc.proxy(svc.layout(to)),
          () => svc.proxy(svc.layout(from)),
        );
      } finally {
        await mover.close();
      }
      const moveMs = Date.now() - start;
      say(`${from} → ${to}: ${mover.moved} keys in ${moveMs} ms`);
      await new Promise((r) => setTimeout(r, 1000));
      await w.stop();
      const dropped = await dropForeignKeys(svc.layout(from), svc.layout(to), OPS);
      const { problems, checked } = await account(svc, KEYS, writers);
      const misplaced = await strays(svc, [0, 1, 2, 3], ownerByName(svc.layout(to)));
      console.log(
        JSON.stringify({
          name: `reshard.twemproxy.${from}to${to}`,
          keys: KEYS,
          keysMoved: mover.moved,
          moveSeconds: moveMs / 1000,
          keysPerSecond: Math.round(mover.moved / (moveMs / 1000)),
          writePauseMs: mover.pauseMs,
          longestClientWaitMs: w.longestMs,
          writesAcknowledged: w.acked.size,
          failedRequests: w.failed + [...w.incrFailed.values()].reduce((a, b) => a + b, 0) + w.readFailures,
          keysChecked: checked,
          keysLost: problems.length,
          oldOwnersDropped: dropped,
          misplacedAfter: misplaced,
        }),
      );
    }
  } finally {
    await svc.stop();
  }
}
