"use client";

import { useRouter } from "next/navigation";
import { useTimeZone, useTranslations } from "next-intl";
import { zoneOffsetLabel } from "@/components/charts/zoned-time";
import { TIME_ZONE_COOKIE, TIME_ZONES } from "@/i18n/locales";

/** The zone every time on the page (tables and charts) is shown in; remembered like the language. */
export function TimeZoneSwitch() {
  const t = useTranslations("common");
  const zone = useTimeZone();
  const router = useRouter();
  const choose = (z: string) => {
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(z)}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  };
  return (
    <select
      aria-label={t("timeZone")}
      title={t("timeZone")}
      value={zone}
      onChange={(e) => choose(e.target.value)}
      data-testid="time-zone"
      className="rounded-md bg-white px-1.5 py-1 text-xs text-slate-600 ring-1 ring-slate-300"
    >
      {TIME_ZONES.map((z) => (
        <option key={z} value={z}>
          {t(`zones.${z.replace("/", "_")}`)} ({zoneOffsetLabel(z)})
        </option>
      ))}
    </select>
  );
}
