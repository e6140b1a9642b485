import { z } from "zod";
import { ExecutorKind, HostStatus, InstanceRole, InstanceState, ServiceKind, ServiceStatus, Software, UsageTier } from "../../../generated/prisma/enums";
import { idSchema, intIn, pageNumberSchema, RESOURCE_LIMITS } from "../bounds";

/** Input schemas of the inventory, shared by the API and the importer so both refuse the same things. */

const LABEL_KEY = /^[A-Za-z0-9]([A-Za-z0-9._\/-]{0,62}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9._:\/-]{0,128}$/;

export const labelKeySchema = z.string().trim().regex(LABEL_KEY, "refusals.fields.labelKey");
export const labelValueSchema = z.string().trim().regex(LABEL_VALUE, "refusals.fields.labelValue");
export const labelsSchema = z.record(labelKeySchema, labelValueSchema).refine((l) => Object.keys(l).length <= 64, "refusals.fields.labelsMax");

export const ipv4Schema = z.ipv4({ message: "refusals.fields.ipv4" });
export const hostStatusSchema = z.enum(HostStatus);
export const usageTierSchema = z.enum(UsageTier);
export const softwareSchema = z.enum(Software);
export const serviceKindSchema = z.enum(ServiceKind);
export const instanceRoleSchema = z.enum(InstanceRole);
export const instanceStateSchema = z.enum(InstanceState);
export const portSchema = z.number().int().min(1, "refusals.fields.portMin").max(65535, "refusals.fields.portMax");

/** A resource's refusals as catalogue codes (the bound arrives as {max}). */
const RESOURCE_TEXT = {
  cpuCores: {
    number: "refusals.fields.resource.cpuCores.number",
    int: "refusals.fields.resource.cpuCores.int",
    positive: "refusals.fields.resource.cpuCores.positive",
    max: "refusals.fields.resource.cpuCores.max",
  },
  memoryMb: {
    number: "refusals.fields.resource.memoryMb.number",
    int: "refusals.fields.resource.memoryMb.int",
    positive: "refusals.fields.resource.memoryMb.positive",
    max: "refusals.fields.resource.memoryMb.max",
  },
  diskGb: {
    number: "refusals.fields.resource.diskGb.number",
    int: "refusals.fields.resource.diskGb.int",
    positive: "refusals.fields.resource.diskGb.positive",
    max: "refusals.fields.resource.diskGb.max",
  },
  bandwidthMbps: {
    number: "refusals.fields.resource.bandwidthMbps.number",
    int: "refusals.fields.resource.bandwidthMbps.int",
    positive: "refusals.fields.resource.bandwidthMbps.positive",
    max: "refusals.fields.resource.bandwidthMbps.max",
  },
} as const;

const positiveInt = (what: keyof typeof RESOURCE_TEXT, max: number) =>
  z.number({ message: RESOURCE_TEXT[what].number }).int(RESOURCE_TEXT[what].int).positive(RESOURCE_TEXT[what].positive).max(max, RESOURCE_TEXT[what].max);

export const hostResourcesSchema = z.object({
  cpuCores: positiveInt("cpuCores", RESOURCE_LIMITS.cpuCores),
  memoryMb: positiveInt("memoryMb", RESOURCE_LIMITS.memoryMb),
  diskGb: positiveInt("diskGb", RESOURCE_LIMITS.diskGb),
  bandwidthMbps: positiveInt("bandwidthMbps", RESOURCE_LIMITS.bandwidthMbps),
});

// Fields without defaults: zod 4 fills defaults even inside .partial(), so an update schema built
// from defaulted fields would reset whatever the caller did not send (facts, executor, labels…).
const hostFields = z.object({
  ip: ipv4Schema,
  hostname: z.string().trim().min(1, "refusals.fields.hostName").max(128),
  rackId: idSchema,
  ...hostResourcesSchema.shape,
  labels: labelsSchema,
  status: hostStatusSchema,
  tier: usageTierSchema,
  departmentId: idSchema.nullable(),
  facts: z
    .record(z.string().max(64), z.union([z.string().max(1000), z.number().finite(), z.boolean()]))
    .refine((f) => Object.keys(f).length <= 100, "refusals.fields.factsMax"),
  executor: z.enum(ExecutorKind),
});

const tierNeedsDepartment = (h: { tier?: string; departmentId?: number | null }) => h.tier !== "MIXED_DEPARTMENT" || h.departmentId != null;
const TIER_MESSAGE = { message: "refusals.fields.mixedDepartment", path: ["departmentId"] };

export const hostCreateSchema = hostFields
  .extend({
    labels: hostFields.shape.labels.default({}),
    status: hostFields.shape.status.default("ONLINE"),
    tier: hostFields.shape.tier.default("MIXED"),
    departmentId: hostFields.shape.departmentId.default(null),
    facts: hostFields.shape.facts.default({}),
    executor: hostFields.shape.executor.default("LOCAL"),
  })
  .refine(tierNeedsDepartment, TIER_MESSAGE);
export type HostCreateInput = z.infer<typeof hostCreateSchema>;

export const hostUpdateSchema = hostFields.partial().extend({ id: idSchema });
export type HostUpdateInput = z.infer<typeof hostUpdateSchema>;

export const hostSortSchema = z.enum(["ip", "hostname", "cpuCores", "memoryMb", "diskGb", "status", "tier", "idc", "rack", "instances", "usedMemory"]);

export const hostFilterSchema = z.object({
  selector: z.string().max(2000).default(""),
  search: z.string().trim().max(128).default(""),
  idcId: idSchema.optional(),
  rackId: idSchema.optional(),
  status: hostStatusSchema.optional(),
  tier: usageTierSchema.optional(),
});
export type HostFilter = z.infer<typeof hostFilterSchema>;

export const pageSchema = z.object({
  page: pageNumberSchema.default(1),
  pageSize: z.number().int().min(1).max(500).default(50),
});

export const hostListSchema = hostFilterSchema.extend({
  ...pageSchema.shape,
  sort: hostSortSchema.default("ip"),
  dir: z.enum(["asc", "desc"]).default("asc"),
});
export type HostListInput = z.infer<typeof hostListSchema>;

export const hostLookupSchema = z.object({
  prefix: z
    .string()
    .trim()
    .regex(/^[0-9.]{0,15}$/, "refusals.fields.ipPrefix"),
  limit: z.number().int().min(1).max(50).default(20),
});
export type HostLookupInput = z.infer<typeof hostLookupSchema>;

export const hostBatchActionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("setStatus"), status: hostStatusSchema }),
  z.object({ action: z.literal("setLabel"), key: labelKeySchema, value: labelValueSchema }),
  z.object({ action: z.literal("removeLabel"), key: labelKeySchema }),
]);

export const hostBatchSchema = z.object({
  /** either explicit ids, or every host the filter selects (the whole selection, not just a page) */
  target: z.union([z.object({ ids: z.array(idSchema).min(1).max(50_000) }), z.object({ filter: hostFilterSchema })]),
  change: hostBatchActionSchema,
});
export type HostBatchInput = z.infer<typeof hostBatchSchema>;

/** `said`: the catalogue code of "<what> codes use lower-case letters, digits and '-'". */
const code = (said: string) =>
  z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, said);
const name = z.string().trim().min(1, "refusals.fields.name").max(128);

export const idcCreateSchema = z.object({ code: code("refusals.fields.code.idc"), name, region: z.string().trim().min(1, "refusals.fields.region").max(64) });
export const idcUpdateSchema = z.object({ id: idSchema, name: name.optional(), region: z.string().trim().min(1).max(64).optional() });
export const rackCreateSchema = z.object({ idcId: idSchema, code: code("refusals.fields.code.rack") });

export const importanceSchema = z.number().int().min(1, "refusals.fields.importance1to5").max(5, "refusals.fields.importance1to5");
export const departmentCreateSchema = z.object({ code: code("refusals.fields.code.department"), name });
const productLineFields = z.object({
  code: code("refusals.fields.code.productLine"),
  name,
  departmentId: idSchema,
  importance: importanceSchema,
  description: z.string().max(2000),
});
export const productLineCreateSchema = productLineFields.extend({ description: productLineFields.shape.description.default("") });
// Without defaults, for the reason given at hostFields.
export const productLineUpdateSchema = productLineFields.partial().extend({ id: idSchema });
export const productLineMembersSchema = z.object({ productLineId: idSchema, userIds: z.array(idSchema).max(1000) });

export const serviceListSchema = pageSchema.extend({
  search: z.string().trim().max(128).optional(),
  productLineId: idSchema.optional(),
  /** a product line's code (`trade-order`), as scripts know it */
  productLine: z.string().trim().max(64).optional(),
  kind: serviceKindSchema.optional(),
  status: z.enum(ServiceStatus).optional(),
  sort: z.enum(["name", "productLine", "instances", "createdAt"]).default("name"),
  dir: z.enum(["asc", "desc"]).default("asc"),
});

const serviceName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,80}$/, "refusals.fields.serviceName");
const serviceFields = z.object({
  name: serviceName,
  productLineId: idSchema,
  kind: serviceKindSchema,
  description: z.string().max(2000),
  entryHost: ipv4Schema.nullable(),
  entryPort: portSchema.nullable(),
});
export const serviceCreateSchema = serviceFields.extend({
  description: serviceFields.shape.description.default(""),
  entryHost: serviceFields.shape.entryHost.default(null),
  entryPort: serviceFields.shape.entryPort.default(null),
});
// Built from the fields without defaults: zod 4 fills defaults even in partial objects, which would
// wipe the description and entry of a service whenever only its status changes.
export const serviceUpdateSchema = serviceFields.partial().extend({
  id: idSchema,
  status: z.enum(ServiceStatus).optional(),
});

export const instanceListSchema = pageSchema.extend({
  search: z.string().trim().max(128).optional(),
  serviceId: idSchema.optional(),
  hostId: idSchema.optional(),
  software: softwareSchema.optional(),
  state: instanceStateSchema.optional(),
  role: instanceRoleSchema.optional(),
  /** a label selector over the host's labels and the instance's own role, software, state, service, productLine */
  selector: z.string().trim().max(500).optional(),
  sort: z.enum(["host", "port", "service", "maxmemoryMb", "state"]).default("host"),
  dir: z.enum(["asc", "desc"]).default("asc"),
});

/** An instance's reservation: 0 up to what the largest host holds (a 1e308 would stop every placement). */
const reservation = (what: "cpu" | "memoryMb" | "diskGb" | "bandwidthMbps", max: number) =>
  z.number({ message: RESERVATION_TEXT[what].number }).min(0, RESERVATION_TEXT[what].negative).max(max, RESERVATION_TEXT[what].max);
const RESERVATION_TEXT = {
  cpu: { number: "refusals.fields.reservation.cpu.number", negative: "refusals.fields.reservation.cpu.negative", max: "refusals.fields.reservation.cpu.max" },
  memoryMb: {
    number: "refusals.fields.reservation.memoryMb.number",
    negative: "refusals.fields.reservation.memoryMb.negative",
    max: "refusals.fields.reservation.memoryMb.max",
  },
  diskGb: {
    number: "refusals.fields.reservation.diskGb.number",
    negative: "refusals.fields.reservation.diskGb.negative",
    max: "refusals.fields.reservation.diskGb.max",
  },
  bandwidthMbps: {
    number: "refusals.fields.reservation.bandwidthMbps.number",
    negative: "refusals.fields.reservation.bandwidthMbps.negative",
    max: "refusals.fields.reservation.bandwidthMbps.max",
  },
} as const;
export const instanceCreateSchema = z.object({
  serviceId: idSchema,
  hostId: idSchema,
  port: portSchema,
  software: softwareSchema,
  role: instanceRoleSchema,
  shardIndex: intIn(0, 100_000, "shard index").nullable().default(null),
  version: z.string().trim().min(1, "refusals.fields.version").max(32),
  maxmemoryMb: intIn(1, RESOURCE_LIMITS.memoryMb, "maxmemory (MB)").nullable().default(null),
  state: instanceStateSchema.default("RUNNING"),
  masterId: idSchema.nullable().default(null),
  cpuCores: reservation("cpu", RESOURCE_LIMITS.cpuCores).default(0),
  memoryMb: reservation("memoryMb", RESOURCE_LIMITS.memoryMb).int().default(0),
  diskGb: reservation("diskGb", RESOURCE_LIMITS.diskGb).int().default(0),
  bandwidthMbps: reservation("bandwidthMbps", RESOURCE_LIMITS.bandwidthMbps).int().default(0),
});
export const instanceUpdateSchema = z.object({
  id: idSchema,
  maxmemoryMb: intIn(1, RESOURCE_LIMITS.memoryMb, "maxmemory (MB)").nullable().optional(),
  state: instanceStateSchema.optional(),
  version: z.string().trim().min(1).max(32).optional(),
});

export const softwareVersionCreateSchema = z.object({
  software: softwareSchema,
  version: z
    .string()
    .trim()
    .regex(/^\d+\.\d+(\.\d+)?([-.][A-Za-z0-9]+)?$/, "refusals.fields.versionFormat"),
  installPath: z
    .string()
    .trim()
    .regex(/^\/[A-Za-z0-9._\/-]+$/, "refusals.fields.installPath"),
  isDefault: z.boolean().default(false),
});

export const specSchema = z.object({
  id: idSchema.optional(),
  software: softwareSchema,
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "refusals.fields.specName"),
  cpuCores: z.number().positive("refusals.fields.cpuPositive").max(256),
  memoryMb: intIn(1, RESOURCE_LIMITS.memoryMb, "memory (MB)"),
  diskGb: intIn(1, RESOURCE_LIMITS.diskGb, "disk (GB)"),
  bandwidthMbps: intIn(1, RESOURCE_LIMITS.bandwidthMbps, "bandwidth (Mbps)"),
});

export const portRangeSchema = z.object({ software: softwareSchema, startPort: portSchema, endPort: portSchema });
