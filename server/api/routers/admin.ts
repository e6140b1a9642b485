import { z } from "zod";
import { Role } from "../../../generated/prisma/enums";
import { loadAllowedRanges, MAX_ALLOWED_RANGES, saveAllowedRanges } from "../../domain/health/webhook-targets";
import { dateSchema, idSchema, pageNumberSchema } from "../../domain/bounds";
import { createUser, listUsers, updateUser } from "../../domain/access/users";
import { auditEntityTypes, listAudit } from "../../domain/audit/query";
import { createTRPCRouter, procedureFor } from "../trpc";

const roleSchema = z.enum(Role);
const password = z.string().min(10, "refusals.fields.passwordMin").max(256);

export const userCreateSchema = z.object({
  username: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, "refusals.fields.usernameChars"),
  displayName: z.string().trim().min(1, "refusals.fields.personName").max(128),
  email: z.email("refusals.fields.email").nullable().default(null),
  role: roleSchema,
  password,
  productLineIds: z.array(idSchema).max(500).default([]),
});

export const userUpdateSchema = z.object({
  id: idSchema,
  displayName: z.string().trim().min(1).max(128).optional(),
  email: z.email().nullable().optional(),
  role: roleSchema.optional(),
  disabled: z.boolean().optional(),
  password: password.optional(),
  productLineIds: z.array(idSchema).max(500).optional(),
});

export const auditListSchema = z.object({
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  entityType: z.string().trim().max(64).optional(),
  entityId: z.string().trim().max(64).optional(),
  from: dateSchema("from").optional(),
  to: dateSchema("to").optional(),
  page: pageNumberSchema.default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

export const adminRouter = createTRPCRouter({
  users: procedureFor("administer")
    .input(z.object({ search: z.string().trim().max(64).optional(), role: roleSchema.optional() }).default({}))
    .query(({ ctx, input }) => listUsers(ctx.db, input)),
  createUser: procedureFor("administer")
    .input(userCreateSchema)
    .mutation(({ ctx, input }) => createUser(ctx.db, ctx.actor, input)),
  updateUser: procedureFor("administer")
    .input(userUpdateSchema)
    .mutation(({ ctx, input }) => updateUser(ctx.db, ctx.actor, input)),
  webhookRanges: procedureFor("administer").query(({ ctx }) => loadAllowedRanges(ctx.db)),
  setWebhookRanges: procedureFor("administer")
    .input(z.object({ ranges: z.array(z.string().trim().max(18)).max(MAX_ALLOWED_RANGES, "refusals.fields.rangesMax") }))
    .mutation(({ ctx, input }) => saveAllowedRanges(ctx.db, ctx.actor, input.ranges)),
  audit: procedureFor("operate")
    .input(auditListSchema)
    .query(({ ctx, input }) => listAudit(ctx.db, input)),
  auditEntityTypes: procedureFor("operate").query(({ ctx }) => auditEntityTypes(ctx.db)),
});
