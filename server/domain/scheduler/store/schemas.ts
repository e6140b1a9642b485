import { z } from "zod";
import { AllocationStatus, UsageTier } from "../../../../generated/prisma/enums";
import { idSchema, pageNumberSchema, RESOURCE_LIMITS } from "../../bounds";
import { importanceSchema, softwareSchema } from "../../inventory/schemas";

/** Inputs of the scheduler API: a spec and constraints, a placement, a lock id. */

const SPEC_TEXT = {
  cpu: { number: "refusals.fields.spec.cpu.number", positive: "refusals.fields.spec.cpu.positive" },
  memory: { number: "refusals.fields.spec.memory.number", positive: "refusals.fields.spec.memory.positive" },
  disk: { number: "refusals.fields.spec.disk.number", positive: "refusals.fields.spec.disk.positive" },
  bandwidth: { number: "refusals.fields.spec.bandwidth.number", positive: "refusals.fields.spec.bandwidth.positive" },
} as const;
const positive = (what: keyof typeof SPEC_TEXT) => z.number({ message: SPEC_TEXT[what].number }).positive(SPEC_TEXT[what].positive);

export const specSchema = z.object({
  cpuCores: positive("cpu").max(256),
  memoryMb: positive("memory").int("refusals.fields.memoryWholeMb").max(RESOURCE_LIMITS.memoryMb, "refusals.fields.memoryMax"),
  diskGb: positive("disk").int("refusals.fields.diskWholeGb").max(RESOURCE_LIMITS.diskGb, "refusals.fields.diskMax"),
  bandwidthMbps: positive("bandwidth").int("refusals.fields.bandwidthWholeMbps").max(RESOURCE_LIMITS.bandwidthMbps, "refusals.fields.bandwidthMax"),
});

const constraintFields = {
  idcIds: z.array(idSchema).max(50).nullable().default(null),
  selector: z.string().max(2000).default(""),
  importance: importanceSchema.default(2),
  productLineId: idSchema.nullable().default(null),
  departmentId: idSchema.nullable().default(null),
  replicas: z.number().int().min(1, "refusals.fields.replicasMin").max(9, "refusals.fields.replicasMax").default(2),
  crossIdc: z.boolean().default(false),
  hostCap: z
    .object({ serviceId: idSchema, maxPerHost: z.number().int().min(1).max(1000) })
    .nullable()
    .default(null),
};

export const capacityQuerySchema = z.object({ spec: specSchema, ...constraintFields });
export const capacityForSpecsSchema = z.object({ specs: z.array(specSchema).min(1).max(200), ...constraintFields });

export const placeSchema = z.object({
  spec: specSchema,
  ...constraintFields,
  productLineId: idSchema,
  shards: z.number().int().min(1, "refusals.fields.shardsMin").max(2000, "refusals.fields.shardsMax"),
  strategy: z.enum(["spread", "concentrate"]).default("spread"),
  preferredIdcId: idSchema.nullable().default(null),
  software: softwareSchema,
  purpose: z.string().trim().min(1, "refusals.fields.placementPurpose").max(200),
  serviceId: idSchema.nullable().default(null),
  ttlSeconds: z
    .number()
    .int()
    .min(10)
    .max(7 * 24 * 3600)
    .default(900),
  dryRun: z.boolean().default(true),
});

export const allocationIdSchema = z.object({ id: z.uuid("an allocation id is a UUID") });

export const allocationListSchema = z.object({
  status: z.enum(AllocationStatus).optional(),
  hostId: idSchema.optional(),
  page: pageNumberSchema.default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

const tier = z.enum(UsageTier);
const weight = z.number().min(0, "refusals.fields.nonNegative").max(1000, "refusals.fields.max1000");
/** Every scheduler setting with its bounds (Setting "scheduler"); saves send any subset. */
export const schedulerSettingsSchema = z
  .object({
    tierByImportance: z.object({ 1: tier, 2: tier, 3: tier, 4: tier, 5: tier }).strict(),
    rackSpreadFromImportance: z.number().int("refusals.fields.wholeNumber").min(1, "refusals.fields.rackSpread").max(6, "refusals.fields.rackSpread"),
    weights: z.object({ leastAllocated: weight, mostAllocated: weight, balanced: weight, preferredIdc: weight }).strict(),
  })
  .strict();
