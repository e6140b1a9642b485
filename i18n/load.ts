import fs from "node:fs";
import path from "node:path";
import { createTranslator } from "use-intl/core";
import { renderText, type Text, type Translator } from "../lib/text";
import type { Locale } from "./locales";

export type Messages = Record<string, unknown>;

/** One JSON file per area (i18n/messages/<locale>/<area>.json), so each capability owns its strings. */
export function loadMessages(locale: Locale): Messages {
  const dir = path.join(process.cwd(), "i18n/messages", locale);
  const out: Messages = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    out[file.replace(/\.json$/, "")] = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  }
  return out;
}

const translators = new Map<Locale, Translator>();

/** The whole catalogue of a language, read once per process, for texts rendered outside a page. */
export function serverTranslator(locale: Locale): Translator {
  let t = translators.get(locale);
  if (!t) {
    const messages = loadMessages(locale);
    const tr = createTranslator({ locale: locale === "zh" ? "zh-CN" : "en", messages });
    t = Object.assign((key: string, values?: Record<string, string | number>) => (tr as (k: string, v?: unknown) => string)(key, values), {
      has: (key: string) => (tr as unknown as { has: (k: string) => boolean }).has(key),
    });
    translators.set(locale, t);
  }
  return t;
}

/** A text in a language on the server: the English beside a stored code, a webhook's language, an API answer. */
export const renderIn = (locale: Locale, v: Text | string | null | undefined) => renderText(serverTranslator(locale), v);
export const english = (v: Text | string | null | undefined) => renderIn("en", v);
