"use client";

import { useFormatter, useTranslations } from "next-intl";
import { durationText, eventText, noticeText, reasonText, type Coded, type TextContext, type Translate } from "@/i18n/health-text";

/** Health reasons, incident events and notices rendered in the page's language, durations as of `now`. */
export function useHealthText(now: Date) {
  const t = useTranslations("health") as unknown as Translate;
  const format = useFormatter();
  const time = (d: Date) => format.dateTime(d, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  const c: TextContext = { t, now, time };
  return {
    reason: (r: Coded) => reasonText(c, r),
    /** a timeline entry reads as of when it happened ("for 10 s" then, not now) */
    event: (e: Coded, at?: Date) => eventText(at ? { ...c, now: at } : c, e),
    notice: (n: Coded) => noticeText(c, n),
    duration: (ms: number) => durationText(t, ms),
    t,
  };
}
