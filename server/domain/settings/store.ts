import { serverTranslator } from "../../../i18n/load";
import { fieldText, joinTexts, type Text } from "../../../lib/text";
import { zodIssueText } from "../../../lib/zod-text";
import { z } from "zod";
import type { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import { inTransaction } from "../../db/transaction";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput } from "../errors";

type Fields = Record<string, unknown>;

/**
 * One group of settings in the `Setting` table: its key, every field with its bounds, the
 * defaults, and the checks across fields. Every capability's settings go through this store.
 */
export type SettingsDef<T extends object> = {
  key: string;
  /** every field with its bounds (a strict object: an unknown name is refused) */
  schema: z.ZodObject;
  defaults: T;
  /** rules across fields (amber below red…): throws a DomainError naming the field */
  check?(value: T): void;
  audit: { action: string; summary: string };
};

/** What a save may carry: any subset of the fields, and of a group's members (e.g. weights). */
export type SettingsPatch<T extends object> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

const isObject = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);

/** b over a, one level into groups (copies by importance, weights): a group is merged, not replaced. */
function merge(a: Fields, b: Fields): Fields {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    out[k] = isObject(v) && isObject(out[k]) ? { ...out[k], ...v } : v;
  }
  return out;
}

const shapeOf = (def: SettingsDef<object>) => def.schema.shape as Record<string, z.ZodType | undefined>;

/** The stored fields that still validate over their defaults; one that no longer does is dropped (its default applies). */
function validStored(def: SettingsDef<object>, stored: unknown): Fields {
  const out: Fields = {};
  if (!isObject(stored)) return out;
  const shape = shapeOf(def);
  for (const [k, v] of Object.entries(stored)) {
    const fallback = (def.defaults as Fields)[k];
    const candidate = isObject(v) && isObject(fallback) ? { ...fallback, ...v } : v;
    if (shape[k]?.safeParse(candidate).success) out[k] = v;
  }
  return out;
}

/** The input schema of a save: every field optional, groups partial, nothing else. */
export function patchSchema<T extends object>(def: SettingsDef<T>): z.ZodType<SettingsPatch<T>, SettingsPatch<T>> {
  const fields = Object.fromEntries(Object.entries(shapeOf(def)).map(([k, s]) => [k, (s instanceof z.ZodObject ? s.partial() : s!).optional()]));
  return z.object(fields).strict() as unknown as z.ZodType<SettingsPatch<T>, SettingsPatch<T>>;
}

/** Stored fields over the defaults; a stored field that no longer validates falls back to its default. */
export const resolveStored = <T extends object>(def: SettingsDef<T>, stored: unknown): T => merge(def.defaults as Fields, validStored(def, stored)) as T;

/** The settings as saved, over the defaults. */
export async function loadSettings<T extends object>(db: DbTx, def: SettingsDef<T>): Promise<T> {
  const row = await db.setting.findUnique({ where: { key: def.key } });
  return resolveStored(def, row?.value);
}

/** Every field checked against its bounds, then the rules across fields; a refusal names each field in `details.fieldErrors`. */
function validate<T extends object>(def: SettingsDef<T>, value: Fields): T {
  const parsed = def.schema.safeParse(value);
  if (!parsed.success) {
    // a message may be a text code: the error formatter renders field errors in the reader's language
    const said = (i: (typeof parsed.error.issues)[number]) => zodIssueText(i, (m) => serverTranslator("en").has(m));
    const fieldErrors: Record<string, (Text | string)[]> = {};
    for (const i of parsed.error.issues) (fieldErrors[String(i.path[0] ?? "_")] ??= []).push(said(i));
    const message = joinTexts(parsed.error.issues.map((i) => (i.path.length ? fieldText(i.path.join("."), said(i)) : said(i))));
    throw badInput(message, { fieldErrors });
  }
  const result = parsed.data as T;
  def.check?.(result);
  return result;
}

/**
 * Merges `patch` into what is saved (a field left out keeps its value), checks the result as a
 * whole, writes it and audits before → after. Its own transaction (or the caller's), holding the
 * key's lock, so two saves of different fields at once both land.
 */
export async function saveSettings<T extends object>(db: DbTx, actor: Actor, def: SettingsDef<T>, patch: SettingsPatch<T>): Promise<T> {
  return inTransaction(db, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`setting:${def.key}`}, 0))`;
    const row = await tx.setting.findUnique({ where: { key: def.key } });
    const stored = merge(validStored(def, row?.value), patch as Fields);
    const value = validate(def, merge(def.defaults as Fields, stored));
    const json = stored as Prisma.InputJsonValue;
    await tx.setting.upsert({ where: { key: def.key }, create: { key: def.key, value: json }, update: { value: json } });
    await recordAudit(tx, actor, {
      action: def.audit.action,
      entityType: "Setting",
      entityId: def.key,
      summary: def.audit.summary,
      before: row?.value ?? null,
      after: stored,
    });
    return value;
  });
}

/** A check's refusal in the store's form: "field: message; …", with the fields in `details`. */
export function refuseFields(errors: Record<string, Text | string>): never {
  const entries = Object.entries(errors);
  throw badInput(joinTexts(entries.map(([k, m]) => fieldText(k, m))), { fieldErrors: Object.fromEntries(entries.map(([k, m]) => [k, [m]])) });
}
