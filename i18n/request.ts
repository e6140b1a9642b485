import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { loadMessages } from "./load";
import { DEFAULT_TIME_ZONE, isLocale, isTimeZone, LOCALE_COOKIE, TIME_ZONE_COOKIE, type Locale } from "./locales";

/**
 * The chosen language and time zone are remembered in cookies; the first visit follows the
 * browser's language and shows Beijing time.
 */
export async function readerLocale(): Promise<Locale> {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  const accept = (await headers()).get("accept-language") ?? "";
  return isLocale(chosen) ? chosen : /^zh\b/i.test(accept) ? "zh" : "en";
}

export default getRequestConfig(async () => {
  const locale = await readerLocale();
  const zone = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  return { locale, messages: loadMessages(locale), timeZone: isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE };
});
