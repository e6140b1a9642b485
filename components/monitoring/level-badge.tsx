"use client";

import { useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";

const TONE: Record<string, Tone> = { RED: "red", AMBER: "amber", GREEN: "green", UNKNOWN: "slate", MAINTENANCE: "blue" };

export function LevelBadge({ level }: { level: string }) {
  const t = useTranslations("monitoringViews");
  return <Badge tone={TONE[level] ?? "slate"}>{t(`levels.${level}`)}</Badge>;
}
