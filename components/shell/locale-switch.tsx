"use client";

import { useRouter } from "next/navigation";
import { useLocale } from "next-intl";
import { LOCALE_COOKIE, type Locale } from "@/i18n/locales";

const LABELS: Record<Locale, string> = { en: "EN", zh: "中文" };

export function LocaleSwitch() {
  const locale = useLocale() as Locale;
  const router = useRouter();
  const choose = (l: Locale) => {
    document.cookie = `${LOCALE_COOKIE}=${l}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  };
  return (
    <div className="flex overflow-hidden rounded-md ring-1 ring-slate-300" role="group" aria-label="language">
      {(Object.keys(LABELS) as Locale[]).map((l) => (
        <button
          key={l}
          type="button"
          onClick={() => choose(l)}
          aria-pressed={l === locale}
          className={l === locale ? "bg-slate-800 px-2 py-1 text-xs text-white" : "bg-white px-2 py-1 text-xs text-slate-600 hover:bg-slate-50"}
        >
          {LABELS[l]}
        </button>
      ))}
    </div>
  );
}
