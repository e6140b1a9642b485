// Label selection over 10,000 hosts through the tRPC endpoint (target: p95 under 50 ms).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpLink } from "@trpc/client";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import superjson from "superjson";
import { appRouter, type AppRouter } from "../server/api/root";
import { createContext } from "../server/api/trpc";
import { withScaledFleet } from "./fleet-db";
import { emit, percentiles, time } from "./lib";

export const name = "host-selection";
const HOSTS = 10_000;
const RUNS = 200;

export async function run() {
  await withScaledFleet(HOSTS, async (db) => {
    const dba = await db.user.findFirstOrThrow({ where: { role: "DBA" } });
    // The same router and context as the Next.js route, over real HTTP on loopback.
    const server = http.createServer(createHTTPHandler({ router: appRouter, createContext: () => createContext(dba.id, db) }));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = createTRPCClient<AppRouter>({ links: [httpLink({ url, transformer: superjson })] });
    const cases = [
      { case: "label selector, sorted by ip", input: { selector: "region=cn-sh,model in (ebmc6,ebmc7),env!=test", sort: "ip" as const } },
      { case: "label selector, sorted by used memory", input: { selector: "region in (cn-sh,cn-bj),disk=ssd", sort: "usedMemory" as const } },
      { case: "no selector, page 20", input: { selector: "", sort: "hostname" as const, page: 20 } },
    ];
    try {
      for (const c of cases) {
        const input = { search: "", page: 1, pageSize: 50, dir: "asc" as const, ...c.input };
        const first = await client.hosts.list.query(input);
        for (let i = 0; i < 10; i++) await client.hosts.list.query(input);
        const samples: number[] = [];
        for (let i = 0; i < RUNS; i++) samples.push(await time(() => client.hosts.list.query(input)));
        emit({
          name: "inventory.host_selection.trpc",
          case: c.case,
          hosts: await db.host.count(),
          matched: first.total,
          page_size: 50,
          ...percentiles(samples),
          target_p95_ms: 50,
        });
      }
    } finally {
      server.close();
    }
  });
}
