"use client";

import { clsx } from "clsx";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useHealthText } from "@/components/health/use-health-text";
import type { AckAction } from "./ack-dialog";
import { ageParts } from "./age";
import type { Chip, Tile } from "./types";

/** A red or amber service: its name, the reasons in words, how long, and who is on it. */
export function ProblemTile({ tile, tv, now, canAck, onAction }: { tile: Tile; tv: boolean; now: Date; canAck: boolean; onAction: (a: AckAction) => void }) {
  const t = useTranslations("board");
  const format = useFormatter();
  const red = tile.level === "RED";
  const age = tile.since ? ageParts(new Date(tile.since), now) : null;
  const inc = tile.incident;
  const silenced = inc?.silencedUntil && new Date(inc.silencedUntil) > now;
  const text = useHealthText(now);
  // the impact on clients first (the rules sort it so), then the instances; what Hedwig is doing apart
  const reasons = tile.reasons.filter((r) => r.code !== "automatic_action");
  const explained = (r: (typeof reasons)[number]) =>
    r.params.maintenance === true
      ? text.t("explained.maintenance")
      : typeof r.params.host === "string" && r.level === "RED" && r.code !== "host_unreachable"
        ? text.t("explained.host", { host: r.params.host })
        : null;
  return (
    <article
      className={clsx("flex flex-col rounded-lg px-4 py-3", red ? "bg-rose-600 text-white" : "bg-amber-400 text-slate-950", tv && "px-5 py-4")}
      data-testid="board-tile"
      data-level={tile.level}
      data-service={tile.name}
    >
      <div className="flex items-baseline justify-between gap-3">
        <Link
          href={`/inventory/services/${tile.serviceId}`}
          className={clsx("font-bold hover:underline", tv ? "break-all text-5xl" : "truncate text-lg")}
          title={tile.name}
        >
          {tile.name}
        </Link>
        {age ? (
          <span className={clsx("shrink-0 font-semibold tabular-nums", tv ? "text-4xl" : "text-base")} data-testid="tile-age">
            {t("since", { age: t(`age.${age.unit}`, age.values) })}
          </span>
        ) : null}
      </div>
      <ul className={clsx("mt-1 font-medium", tv ? "text-4xl leading-tight" : "text-base")} data-testid="tile-reasons">
        {reasons.length === 0 ? <li>{t("noReason")}</li> : null}
        {reasons.slice(0, tv ? 3 : 4).map((r, i) => (
          <li key={i} data-code={r.code}>
            {text.reason(r)}
            {explained(r) ? <span className={clsx("ml-1 font-normal italic", tv ? "text-2xl" : "text-sm")}>({explained(r)})</span> : null}
          </li>
        ))}
      </ul>
      {tile.actions.length ? (
        <ul className={clsx("mt-1 font-semibold", tv ? "text-3xl" : "text-sm")} data-testid="tile-actions">
          {tile.actions.map((a, i) => (
            <li key={i}>⟳ {text.reason({ code: "automatic_action", params: { kind: a.kind, since: new Date(a.since).toISOString() } })}</li>
          ))}
        </ul>
      ) : null}
      {inc?.host ? (
        <Link href={`/incidents/${inc.id}`} className={clsx("mt-1 underline", tv ? "text-2xl" : "text-sm")} data-testid="tile-host-incident">
          {text.t("incidents.host", { host: inc.host })} · #{inc.id}
        </Link>
      ) : inc ? (
        <Link href={`/incidents/${inc.id}`} className={clsx("mt-1 underline", tv ? "hidden" : "text-xs")} data-testid="tile-incident">
          #{inc.id}
        </Link>
      ) : null}
      {inc ? (
        <div
          className={clsx("mt-2 flex flex-wrap items-center gap-x-3 gap-y-1", tv ? "text-2xl" : "text-sm", red ? "text-rose-50" : "text-slate-800")}
          data-testid="tile-ack"
        >
          {inc.acknowledgedAt ? (
            <span>
              ✔ {t("ackBy", { user: inc.acknowledgedBy ?? "?" })}
              {inc.ackNote ? <span className="italic">: “{inc.ackNote}”</span> : null}
            </span>
          ) : (
            <span className="font-bold uppercase tracking-wide">{t("notAcked")}</span>
          )}
          {silenced ? (
            <span className="font-semibold">
              {t("silencedUntil", { time: format.dateTime(new Date(inc.silencedUntil!), { hour: "2-digit", minute: "2-digit" }) })}
            </span>
          ) : null}
          {canAck ? (
            <span className="ml-auto flex gap-2">
              <button
                type="button"
                className={clsx(
                  "rounded px-2 py-0.5 text-sm font-semibold ring-1",
                  red ? "bg-white/15 ring-white/50 hover:bg-white/25" : "bg-black/10 ring-black/30 hover:bg-black/15",
                )}
                onClick={() => onAction({ kind: "ack", serviceId: tile.serviceId, service: tile.name, note: inc.ackNote ?? "" })}
                data-testid="tile-acknowledge"
              >
                {t("acknowledge")}
              </button>
              <button
                type="button"
                className={clsx(
                  "rounded px-2 py-0.5 text-sm font-semibold ring-1",
                  red ? "bg-white/15 ring-white/50 hover:bg-white/25" : "bg-black/10 ring-black/30 hover:bg-black/15",
                )}
                onClick={() => onAction({ kind: "silence", serviceId: tile.serviceId, service: tile.name, note: inc.ackNote ?? "", silenced: !!silenced })}
                data-testid="tile-silence"
              >
                {t("silence")}
              </button>
            </span>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

/** A green (or not monitored) service: a small chip, so the problems keep the space. */
export function ServiceChipLink({ chip, green, tv }: { chip: Chip; green: boolean; tv: boolean }) {
  return (
    <Link
      href={`/inventory/services/${chip.serviceId}`}
      className={clsx(
        "rounded px-2 py-0.5 font-medium",
        tv ? "text-base" : "text-xs",
        green
          ? tv
            ? "bg-emerald-700 text-emerald-50"
            : "bg-emerald-100 text-emerald-800 hover:bg-emerald-200"
          : tv
            ? "bg-slate-800 text-slate-400"
            : "bg-slate-100 text-slate-500 hover:bg-slate-200",
      )}
      data-testid="board-chip"
      data-level={green ? "GREEN" : "UNKNOWN"}
      data-service={chip.name}
    >
      {chip.name}
    </Link>
  );
}
