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

/** Messages are codes of i18n/messages/*\/errors.json: the API renders them in the reader's language, with the bound. */
const count = (what: "peakQps" | "expectedKeys", max: number) =>
  z
    .number({ message: `errors.request.${what}.type` })
    .int(`errors.request.${what}.int`)
    .min(1, `errors.request.${what}.min`)
    .max(max, `errors.request.${what}.max`);

const fields = z.object({
  productLineId: z.number({ message: "errors.request.productLine" }).int().positive("errors.request.productLine").max(INT4_MAX, "errors.request.productLine"),
  kind: z.enum(ServiceKind, { message: "errors.request.kind" }),
  purpose: z.string({ message: "errors.request.purpose.missing" }).trim().min(10, "errors.request.purpose.short").max(500, "errors.request.purpose.long"),
  capacityGb: z.number({ message: "errors.request.capacity.type" }).min(0.1, "errors.request.capacity.min").max(MAX_CAPACITY_GB, "errors.request.capacity.max"),
  peakQps: count("peakQps", MAX_PEAK_QPS),
  expectedKeys: count("expectedKeys", MAX_EXPECTED_KEYS),
  persistence: z.enum(PERSISTENCE_MODES, { message: "errors.request.persistence" }),
  highAvailability: z.boolean({ message: "errors.request.highAvailability" }),
  idcPreference: z.number({ message: "errors.request.idc" }).int().positive("errors.request.idc").max(INT4_MAX, "errors.request.idc").nullable(),
  readRatio: z
    .number({ message: "errors.request.readRatio.type" })
    .int("errors.request.readRatio.int")
    .min(0, "errors.request.readRatio.range")
    .max(100, "errors.request.readRatio.range"),
});

export const requestFormSchema = fields.superRefine((form, ctx) => {
  if (isMemcachedKind(form.kind) && form.persistence !== "none") {
    ctx.addIssue({
      code: "custom",
      path: ["persistence"],
      message: "errors.request.memcachedPersistence",
    });
  }
  if (form.highAvailability && form.kind === "REDIS_STANDALONE") {
    ctx.addIssue({
      code: "custom",
      path: ["highAvailability"],
      message: "errors.request.standaloneHa",
    });
  }
  if (form.highAvailability && form.kind === "MEMCACHED") {
    ctx.addIssue({
      code: "custom",
      path: ["highAvailability"],
      message: "errors.request.memcachedHa",
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
