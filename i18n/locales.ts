export const LOCALES = ["en", "zh"] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_COOKIE = "hedwig-locale";
export const isLocale = (v: unknown): v is Locale => LOCALES.includes(v as Locale);
