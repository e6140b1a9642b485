import fs from "node:fs";
import path from "node:path";
import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { DEFAULT_TIME_ZONE, isLocale, isTimeZone, LOCALE_COOKIE, TIME_ZONE_COOKIE, type Locale } from "./locales";

type Messages = Record<string, unknown>;

/** One JSON file per area (i18n/messages/<locale>/<area>.json), so each capability owns its strings. */
function loadMessages(locale: Locale): Messages {
  const dir = path.join(process.cwd(), "i18n/messages", locale);
  const out: Messages = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    out[file.replace(/\.json$/, "")] = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  }
  return out;
}

/**
 * The chosen language and time zone are remembered in cookies; the first visit follows the
 * browser's language and shows Beijing time.
 */
export default getRequestConfig(async () => {
  const jar = await cookies();
  const chosen = jar.get(LOCALE_COOKIE)?.value;
  const zone = jar.get(TIME_ZONE_COOKIE)?.value;
  const accept = (await headers()).get("accept-language") ?? "";
  const locale: Locale = isLocale(chosen) ? chosen : /^zh\b/i.test(accept) ? "zh" : "en";
  return { locale, messages: loadMessages(locale), timeZone: isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE };
});
