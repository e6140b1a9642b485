import { z } from "zod";
import { ExecutorKind, LbBackend, LbCheckKind, LbMemberState, LbProtocol } from "../../../generated/prisma/enums";
import { idSchema } from "../bounds";

/** Inputs of the Libra API, one schema per input. */
const id = idSchema;
const ipv4 = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, "an IPv4 address such as 127.0.2.10");
const port = z.number().int().min(1, "refusals.fields.port").max(65535, "refusals.fields.port");
const name = z
  .string()
  .trim()
  .min(2, "refusals.fields.min2Chars")
  .max(60)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "refusals.fields.lowerNameChars");

/** HAProxy takes 0–256 and LVS any int; the plugin narrows further (`checks.ts`). */
const memberWeight = z.number().int("refusals.fields.weightInt").min(0, "refusals.fields.weightRange").max(65535, "refusals.fields.weightRange");

const IPV4 = "(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}";
/** The addresses a pool's VIPs may take: "first-last" ranges or single addresses, comma-separated. */
export const vipRanges = z
  .string()
  .trim()
  .max(500)
  .regex(new RegExp(`^${IPV4}(-${IPV4})?(\\s*,\\s*${IPV4}(-${IPV4})?)*$`), "refusals.fields.vipRanges");

export const poolInput = z.object({
  name,
  backend: z.enum(LbBackend),
  description: z.string().max(500).default(""),
  statsPort: port.nullable().default(null),
  /** without one, the pool takes no application until a DBA sets it */
  vipRange: vipRanges.nullable().default(null),
  servers: z
    .array(z.object({ ip: ipv4, executor: z.enum(ExecutorKind).default("LOCAL") }))
    .min(1, "refusals.fields.poolServers")
    .max(16),
});

export const healthCheckInput = z
  .object({
    name,
    kind: z.enum(LbCheckKind),
    httpPath: z
      .string()
      .regex(/^\/[\x21-\x7e]*$/, "refusals.fields.httpPath")
      .nullable()
      .default(null),
    expectStatus: z.number().int().min(100).max(599).nullable().default(null),
    script: z
      .string()
      .regex(/^\/[A-Za-z0-9._/-]+$/, "refusals.fields.scriptPath")
      .nullable()
      .default(null),
    intervalSeconds: z.number().int().min(1, "refusals.fields.checkInterval").max(3600, "refusals.fields.checkInterval").default(3),
    timeoutSeconds: z.number().int().min(1, "refusals.fields.checkTimeout").max(600, "refusals.fields.checkTimeout").default(2),
    retries: z.number().int().min(1, "refusals.fields.checkRetries").max(10, "refusals.fields.checkRetries").default(3),
  })
  .refine((h) => h.kind !== "SCRIPT" || h.script, { message: "refusals.fields.scriptNeeded", path: ["script"] })
  .refine((h) => (h.kind !== "HTTP" && h.kind !== "SSL") || h.httpPath, { message: "refusals.fields.httpPathNeeded", path: ["httpPath"] });

export const balanceConfigInput = z.object({
  name,
  algorithm: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{2,6}$/, "refusals.fields.algorithm"),
  lvsKind: z.enum(["DR", "NAT", "TUN"]).nullable().default(null),
  persistenceSeconds: z.number().int().min(0).max(86_400, "refusals.fields.persistenceMax").default(0),
});

export const vipInput = z.object({ ip: ipv4, port, protocol: z.enum(LbProtocol).default("TCP") });

export const memberInput = z.object({
  ip: ipv4,
  port,
  weight: memberWeight.default(10),
  state: z.enum(LbMemberState).default("ENABLED"),
});

export const applicationInput = z.object({
  poolId: id,
  name,
  serviceId: id.nullable().default(null),
  healthCheckId: id,
  balanceConfigId: id,
  /** the guided flow sends all at once; step by step sends these later */
  vip: vipInput.nullable().default(null),
  members: z.array(memberInput).max(500).default([]),
});

export const memberUpdateInput = z.object({ memberId: id, weight: memberWeight.optional(), state: memberInput.shape.state.optional() });

export type PoolInput = z.infer<typeof poolInput>;
export type HealthCheckInput = z.infer<typeof healthCheckInput>;
export type BalanceConfigInput = z.infer<typeof balanceConfigInput>;
export type VipInput = z.infer<typeof vipInput>;
export type MemberInput = z.infer<typeof memberInput>;
export type ApplicationInput = z.infer<typeof applicationInput>;
export type MemberUpdate = z.infer<typeof memberUpdateInput>;
