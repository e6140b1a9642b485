export const LOCALES = ["en", "zh"] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_COOKIE = "hedwig-locale";
export const isLocale = (v: unknown): v is Locale => LOCALES.includes(v as Locale);

/** Every time on a page shows in one zone, the reader's choice (a cookie, like the language). */
export const TIME_ZONE_COOKIE = "hedwig-tz";
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";
/** The zones a DBA team spread over these offices would pick from; Beijing time first. */
export const TIME_ZONES = [
  "Asia/Shanghai",
  "UTC",
  "Asia/Tokyo",
  "Asia/Singapore",
  "Europe/London",
  "Europe/Berlin",
  "America/New_York",
  "America/Los_Angeles",
] as const;
export type TimeZone = (typeof TIME_ZONES)[number];
export const isTimeZone = (v: unknown): v is TimeZone => TIME_ZONES.includes(v as TimeZone);
