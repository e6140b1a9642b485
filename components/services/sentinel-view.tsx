"use client";

import { useTranslations } from "next-intl";
import type { ServiceInstance } from "./types";

/** What a Sentinel answered in its latest poll: each master it watches, where it sees it, and whether its quorum holds. */
export function SentinelView({ views }: { views: NonNullable<ServiceInstance["sentinelView"]> }) {
  const t = useTranslations("services.sentinelView");
  return (
    <ul className="space-y-0.5 text-xs" title={t("title")} data-testid="sentinel-view">
      {views.map((v) => {
        const down = /\b[so]_down\b/.test(v.flags);
        return (
          <li key={v.name} className="whitespace-nowrap" data-master={v.name} data-quorum={v.quorumOk ? "ok" : "no"}>
            <span className="font-mono">{t("sees", { name: v.name, addr: `${v.ip}:${v.port}` })}</span>
            {down ? <span className="ml-1 text-rose-700">{t("down", { flags: v.flags })}</span> : null}
            <span className={`ml-1 ${v.quorumOk ? "text-emerald-700" : "text-amber-700"}`} title={v.quorumError ?? undefined}>
              · {v.quorumOk ? t("quorumOk") : t("noQuorum")}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
