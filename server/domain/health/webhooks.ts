import { text } from "../../../lib/text";
import { z } from "zod";
import { WebhookFormat } from "../../../generated/prisma/enums";
import { LOCALES } from "../../../i18n/locales";
import { idSchema } from "../bounds";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { conflict, notFound } from "../errors";
import { sendTestAlert } from "./alerts";
import { transactional } from "../../db/transaction";
import { assertWebhookTarget, loadAllowedRanges } from "./webhook-targets";

export const webhookInputSchema = z.object({
  name: z.string().trim().min(1, "refusals.fields.webhookName").max(80, "refusals.fields.max80"),
  url: z
    .string()
    .trim()
    .url("refusals.fields.webhookUrl")
    .max(2000, "refusals.fields.webhookUrlMax")
    .refine((u) => /^https?:\/\//.test(u), "refusals.fields.httpUrl"),
  format: z.enum(WebhookFormat),
  /** the language of its alerts; null follows the incident settings' alertLocale */
  locale: z.enum(LOCALES).nullable().default(null),
  enabled: z.boolean(),
  /** null: alerts of every product line */
  productLineId: idSchema.nullable(),
});
export type WebhookInput = z.infer<typeof webhookInputSchema>;

export const listWebhooks = (db: DbTx) => db.alertWebhook.findMany({ orderBy: { name: "asc" } });

async function nameFree(db: DbTx, name: string, exceptId?: number) {
  const other = await db.alertWebhook.findUnique({ where: { name } });
  if (other && other.id !== exceptId) throw conflict(text("errors.domain.webhooks.nameTaken", { name, id: other.id }));
}

async function lineExists(db: DbTx, productLineId: number | null) {
  if (productLineId !== null && !(await db.productLine.findUnique({ where: { id: productLineId }, select: { id: true } })))
    throw notFound(text("errors.domain.notFound.productLine", { id: productLineId }));
}

export const createWebhook = transactional(async function createWebhook(db: DbTx, actor: Actor, input: WebhookInput) {
  await nameFree(db, input.name);
  await assertWebhookTarget(input.url, await loadAllowedRanges(db));
  await lineExists(db, input.productLineId);
  const hook = await db.alertWebhook.create({ data: input });
  await recordAudit(db, actor, {
    action: "webhook.create",
    entityType: "AlertWebhook",
    entityId: hook.id,
    summary: `added the alert webhook ${hook.name} (${hook.format})`,
    after: hook,
  });
  return hook;
});

export const updateWebhook = transactional(async function updateWebhook(db: DbTx, actor: Actor, id: number, input: WebhookInput) {
  const before = await db.alertWebhook.findUnique({ where: { id } });
  if (!before) throw notFound(text("errors.domain.webhooks.missing", { id }));
  await nameFree(db, input.name, id);
  await assertWebhookTarget(input.url, await loadAllowedRanges(db));
  await lineExists(db, input.productLineId);
  const hook = await db.alertWebhook.update({ where: { id }, data: input });
  await recordAudit(db, actor, {
    action: "webhook.update",
    entityType: "AlertWebhook",
    entityId: id,
    summary: `changed the alert webhook ${hook.name}`,
    before,
    after: hook,
  });
  return hook;
});

export const deleteWebhook = transactional(async function deleteWebhook(db: DbTx, actor: Actor, id: number) {
  const before = await db.alertWebhook.findUnique({ where: { id } });
  if (!before) throw notFound(text("errors.domain.webhooks.missing", { id }));
  await db.alertWebhook.delete({ where: { id } });
  await recordAudit(db, actor, {
    action: "webhook.delete",
    entityType: "AlertWebhook",
    entityId: id,
    summary: `removed the alert webhook ${before.name}`,
    before,
  });
});

/** Sends a test alert in the webhook's format and records that it was sent. */
export async function testWebhook(db: DbTx, actor: Actor, id: number, publicUrl: string) {
  const hook = await db.alertWebhook.findUnique({ where: { id } });
  if (!hook) throw notFound(text("errors.domain.webhooks.missing", { id }));
  const result = await sendTestAlert(hook, publicUrl, await loadAllowedRanges(db));
  await recordAudit(db, actor, {
    action: "webhook.test",
    entityType: "AlertWebhook",
    entityId: id,
    summary: `sent a test alert to ${hook.name}: ${result.ok ? "delivered" : result.error}`,
  });
  return result;
}
