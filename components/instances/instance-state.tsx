"use client";

import { useFormatter, useNow, useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";
import { desiredOf, observedOf, type InstanceFacts, type Observed } from "./observed";

const TONE: Record<Observed["kind"], Tone> = { up: "green", down: "red", unknown: "slate", catalogued: "slate" };

/**
 * What Hedwig observed of an instance (up / down since …), with what was asked beside it (running,
 * stopped, maintenance until …) and, when Hedwig gave up restarting it, why. A dead process reads
 * "down", never "running".
 */
export function InstanceStateCell({ instance }: { instance: InstanceFacts }) {
  const t = useTranslations("healing.state");
  const format = useFormatter();
  const now = useNow({ updateInterval: 5_000 });
  const o = observedOf(instance, now);
  const d = desiredOf(instance, now);
  const time = (at: Date) =>
    format.dateTime(at, at.toDateString() === now.toDateString() ? { timeStyle: "medium" } : { dateStyle: "short", timeStyle: "short" });
  const observed =
    o.kind === "down"
      ? t("downSince", { time: time(o.since), ago: format.relativeTime(o.since, now) })
      : o.kind === "unknown"
        ? o.lastUpAt
          ? t("notSeen", { ago: format.relativeTime(o.lastUpAt, now) })
          : t("notObserved")
        : t(o.kind);
  const hold = instance.restartHold;
  const holdParams = (hold?.params ?? {}) as { restarts?: number; windowMinutes?: number };
  return (
    <div
      className="flex flex-col items-start gap-0.5"
      data-testid="instance-state"
      data-observed={o.kind}
      data-desired={d.kind}
      data-maintenance={d.maintenanceUntil ? "1" : "0"}
    >
      <Badge tone={TONE[o.kind]}>{observed}</Badge>
      {d.kind !== "catalogued" ? (
        <span className="whitespace-nowrap text-[11px] text-slate-500">
          {t("asked", { what: t(`desired.${d.kind}`) })}
          {d.maintenanceUntil ? (
            <span
              className="ml-1 rounded bg-amber-50 px-1 text-amber-800 ring-1 ring-inset ring-amber-600/20"
              title={d.note ?? undefined}
              data-testid="instance-maintenance"
            >
              {t("maintenanceUntil", { time: time(d.maintenanceUntil) })}
            </span>
          ) : null}
        </span>
      ) : null}
      {hold ? (
        <span
          className="text-[11px] font-medium text-rose-700"
          data-testid="instance-hold"
          title={format.dateTime(hold.since, { dateStyle: "medium", timeStyle: "medium" })}
        >
          {t(`hold.${hold.code}`, { restarts: holdParams.restarts ?? 0, minutes: holdParams.windowMinutes ?? 60 })}
        </span>
      ) : null}
    </div>
  );
}
