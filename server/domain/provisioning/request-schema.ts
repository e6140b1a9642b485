import { z } from "zod";
import { INT4_MAX } from "../bounds";
import { ServiceKind } from "../../../generated/prisma/enums";

/**
 * The self-service request form (申请标准): what a business developer states about the cache they
 * need. Each message says what to change; the cross-field rules refuse combinations the software
 * cannot deliver instead of quietly ignoring a field.
 */

export const KIND_LABELS: Record<ServiceKind, string> = {
  REDIS_STANDALONE: "Redis standalone",
  REDIS_SENTINEL: "Redis master/replica with Sentinel",
  REDIS_TWEMPROXY: "Redis shards behind Twemproxy",
  MEMCACHED: "Memcached",
  MEMCACHED_TWEMPROXY: "Memcached behind Twemproxy",
};

export const PERSISTENCE_MODES = ["none", "rdb", "aof"] as const;
export type Persistence = (typeof PERSISTENCE_MODES)[number];

/** One request holds at most this much; more is several services (split by business domain). */
export const MAX_CAPACITY_GB = 1024;
export const MAX_PEAK_QPS = 5_000_000;
export const MAX_EXPECTED_KEYS = 10_000_000_000;

export const isMemcachedKind = (kind: ServiceKind) => kind === "MEMCACHED" || kind === "MEMCACHED_TWEMPROXY";
export const isProxiedKind = (kind: ServiceKind) => kind === "REDIS_TWEMPROXY" || kind === "MEMCACHED_TWEMPROXY";

const count = (what: string, example: string, max: number, overMax: string) =>
  z
    .number({ message: `${what} must be a number, e.g. ${example}` })
    .int(`${what} must be a whole number`)
    .min(1, `${what} must be at least 1`)
    .max(max, overMax);

const fields = z.object({
  productLineId: z
    .number({ message: "pick the product line this cache serves" })
    .int()
    .positive("pick the product line this cache serves")
    .max(INT4_MAX, "pick the product line this cache serves"),
  kind: z.enum(ServiceKind, { message: `pick a software: ${Object.values(KIND_LABELS).join(", ")}` }),
  purpose: z
    .string({ message: "say what the cache holds and which application uses it" })
    .trim()
    .min(10, "say what the cache holds and which application uses it (at least 10 characters)")
    .max(500, "keep the purpose under 500 characters; details belong in the service description"),
  capacityGb: z
    .number({ message: "capacity must be a number of GB, e.g. 8" })
    .min(0.1, "capacity must be at least 0.1 GB")
    .max(
      MAX_CAPACITY_GB,
      `more than ${MAX_CAPACITY_GB.toLocaleString("en-US")} GB is too much for one service: split the data into several services (e.g. one per business domain)`,
    ),
  peakQps: count(
    "peak QPS",
    "20000",
    MAX_PEAK_QPS,
    `more than ${MAX_PEAK_QPS.toLocaleString("en-US")} QPS is too much for one service: split the traffic into several services`,
  ),
  expectedKeys: count(
    "the expected number of keys",
    "1000000",
    MAX_EXPECTED_KEYS,
    `more than ${MAX_EXPECTED_KEYS.toLocaleString("en-US")} keys is too much for one service: split the data into several services`,
  ),
  persistence: z.enum(PERSISTENCE_MODES, { message: 'pick a persistence: "none" (a cache), "rdb" (snapshots) or "aof" (every write logged)' }),
  highAvailability: z.boolean({ message: "say whether the service must survive the loss of an instance (yes or no)" }),
  idcPreference: z
    .number({ message: "pick an IDC, or none for any" })
    .int()
    .positive("pick an IDC, or none for any")
    .max(INT4_MAX, "pick an IDC, or none for any")
    .nullable(),
  readRatio: z
    .number({ message: "the read share must be a number from 0 to 100 (% of requests that read)" })
    .int("the read share must be a whole percentage")
    .min(0, "the read share is a percentage from 0 to 100")
    .max(100, "the read share is a percentage from 0 to 100"),
});

export const requestFormSchema = fields.superRefine((form, ctx) => {
  if (isMemcachedKind(form.kind) && form.persistence !== "none") {
    ctx.addIssue({
      code: "custom",
      path: ["persistence"],
      message: "Memcached keeps data only in memory and cannot persist it: choose no persistence, or Redis if the data must survive a restart",
    });
  }
  if (form.highAvailability && form.kind === "REDIS_STANDALONE") {
    ctx.addIssue({
      code: "custom",
      path: ["highAvailability"],
      message: "a standalone Redis has no replica to fail over to: choose Redis master/replica with Sentinel, or Redis shards behind Twemproxy",
    });
  }
  if (form.highAvailability && form.kind === "MEMCACHED") {
    ctx.addIssue({
      code: "custom",
      path: ["highAvailability"],
      message: "Memcached alone has no failover: choose Memcached behind Twemproxy (the proxies eject a failed node), or Redis master/replica",
    });
  }
});

export type RequestForm = z.infer<typeof requestFormSchema>;

const between = (what: string, min: number, max: number) =>
  z.number().int(`${what} must be a whole number`).min(min, `${what} must be ${min}–${max}`).max(max, `${what} must be ${min}–${max}`).optional();

/** A DBA's changes to the proposed plan before approving (sizing checks what the topology allows). */
export const planAdjustmentSchema = z
  .object({
    shards: between("shards", 1, 512),
    perShardMemoryMb: between("memory per shard (MB)", 64, 262_144),
    replicas: between("copies per shard", 1, 5),
    proxies: between("proxies", 0, 32),
  })
  .strict();
