import fs from "node:fs";
import path from "node:path";
import { createTranslator } from "use-intl/core";
import { eventText, noticeText, reasonText, type Coded, type TextContext } from "../../../i18n/health-text";
import type { Locale } from "../../../i18n/locales";

/**
 * The page's own catalog (i18n/messages/<locale>/health.json), for the texts that leave Hedwig:
 * webhooks, and the English kept beside a notice's code. The page renders the codes itself.
 */
const cache = new Map<Locale, Record<string, unknown>>();
function messages(locale: Locale) {
  let m = cache.get(locale);
  if (!m)
    cache.set(locale, (m = JSON.parse(fs.readFileSync(path.join(process.cwd(), "i18n/messages", locale, "health.json"), "utf8")) as Record<string, unknown>));
  return m;
}

export function healthText(
  locale: Locale,
  now: Date,
): TextContext & { reason: (r: Coded) => string; event: (e: Coded) => string; notice: (n: Coded) => { title: string; body: string } } {
  const t = createTranslator({ locale: locale === "zh" ? "zh-CN" : "en", messages: messages(locale) }) as unknown as TextContext["t"];
  const time = (d: Date) =>
    d.toLocaleString(locale === "zh" ? "zh-CN" : "en-GB", { timeZone: "Asia/Shanghai", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  const c: TextContext = { t, now, time };
  return { ...c, reason: (r) => reasonText(c, r), event: (e) => eventText(c, e), notice: (n) => noticeText(c, n) };
}
