import { HOST_COLUMNS, INSTANCE_COLUMNS } from "./columns";
import type { ImportKind } from "./types";

/** What the examples name; the server fills it from the inventory so an example checks out as written. */
export type ExampleContext = {
  idc: string;
  rack: string;
  department: string | null;
  productLine: string;
  hostIps: [string, string];
  redisPort: number;
};

export const PLACEHOLDER_CONTEXT: ExampleContext = {
  idc: "sh01",
  rack: "r01",
  department: null,
  productLine: "trade-cart",
  hostIps: ["192.0.2.11", "192.0.2.12"],
  redisPort: 6379,
};

type Cell = string | number | Record<string, string> | undefined;

const csvCell = (v: Cell): string => {
  if (v === undefined) return "";
  const s =
    typeof v === "object"
      ? Object.entries(v)
          .map(([k, x]) => `${k}=${x}`)
          .join(";")
      : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function render(columns: readonly string[], rows: Record<string, Cell>[]): { csv: string; json: string } {
  const csv = [columns.join(","), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(","))].join("\n") + "\n";
  const json =
    JSON.stringify(
      rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))),
      null,
      2,
    ) + "\n";
  return { csv, json };
}

/** Example hosts (addresses from 192.0.2.0/24, the documentation range) in both formats. */
export function hostExample(ctx: ExampleContext): { csv: string; json: string } {
  const columns = HOST_COLUMNS.filter((c) => c !== "memoryGb");
  const base = { idc: ctx.idc, cpuCores: 32, memoryMb: 131072, diskGb: 1000, bandwidthMbps: 10000 };
  return render(columns, [
    {
      ip: "192.0.2.21",
      hostname: `${ctx.idc}-cache-21`,
      rack: ctx.rack,
      ...base,
      status: "ONLINE",
      tier: "MIXED",
      labels: { region: "cn-sh", model: "ebmc6" },
    },
    { ip: "192.0.2.22", hostname: `${ctx.idc}-cache-22`, rack: ctx.rack, ...base, status: "MAINTENANCE", tier: "DEDICATED", labels: { region: "cn-sh" } },
    ctx.department
      ? {
          ip: "192.0.2.23",
          hostname: `${ctx.idc}-cache-23`,
          rack: "r99",
          ...base,
          status: "ONLINE",
          tier: "MIXED_DEPARTMENT",
          department: ctx.department,
          labels: { disk: "ssd" },
        }
      : { ip: "192.0.2.23", hostname: `${ctx.idc}-cache-23`, rack: "r99", ...base, status: "ONLINE", tier: "MIXED", labels: { disk: "ssd" } },
  ]);
}

/** An adopted Redis master and its replica; the replica comes first to show that order does not matter. */
export function instanceExample(ctx: ExampleContext): { csv: string; json: string } {
  const [a, b] = ctx.hostIps;
  const base = {
    service: `${ctx.productLine}-adopted-redis`,
    productLine: ctx.productLine,
    kind: "REDIS_STANDALONE",
    port: ctx.redisPort,
    software: "REDIS",
    shard: 0,
    version: "6.2.14",
    maxmemoryMb: 4096,
    state: "RUNNING",
  };
  return render(INSTANCE_COLUMNS, [
    { ...base, host: b, role: "REPLICA", master: `${a}:${ctx.redisPort}` },
    { ...base, host: a, role: "MASTER" },
  ]);
}

export function importExample(kind: ImportKind, ctx: ExampleContext = PLACEHOLDER_CONTEXT): { csv: string; json: string } {
  return kind === "hosts" ? hostExample(ctx) : instanceExample(ctx);
}
