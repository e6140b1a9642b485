"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Stars } from "@/components/ui/badge";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { AckDialog, type AckAction } from "./ack-dialog";
import { BoardTotals, HostHealth } from "./totals";
import { ProblemTile, ServiceChipLink } from "./tile";
import type { Group } from "./types";

/** Live: the board asks again every 5 s, so a change shows within 10 s without a reload. */
export const BOARD_REFRESH_MS = 5_000;

export function BoardView({ tv, canAck, scoped }: { tv: boolean; canAck: boolean; scoped: boolean }) {
  const t = useTranslations("board");
  const format = useFormatter();
  const trpc = useTRPC();
  const board = useQuery(trpc.board.get.queryOptions(undefined, { refetchInterval: BOARD_REFRESH_MS, refetchIntervalInBackground: true }));
  const [action, setAction] = useState<AckAction | null>(null);
  if (!board.data) return board.error ? <ErrorNote error={board.error} /> : null;
  const b = board.data;
  const now = new Date();
  const time = (d: Date) => format.dateTime(d, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  return (
    <div className={clsx(tv ? "min-h-screen bg-slate-950 px-8 py-6 text-slate-100" : "")} data-testid="board" data-tv={tv ? "1" : "0"}>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className={clsx("font-semibold", tv ? "text-4xl text-white" : "text-xl text-slate-900")}>{t("title")}</h1>
          <p className={clsx("mt-0.5", tv ? "text-lg text-slate-400" : "text-sm text-slate-500")}>{scoped ? t("subtitleScoped") : t("subtitle")}</p>
        </div>
        <div className="flex items-center gap-4">
          <span
            className={clsx(tv ? "text-lg" : "text-sm", board.isError ? "font-semibold text-rose-500" : tv ? "text-slate-400" : "text-slate-500")}
            data-testid="board-updated"
          >
            {board.isError ? t("stale", { time: time(new Date(board.dataUpdatedAt)) }) : t("updated", { time: time(new Date(board.dataUpdatedAt)) })}
          </span>
          <Link
            href={tv ? "/board" : "/board/tv"}
            className={clsx(
              "rounded-md px-3 py-1.5 text-sm font-medium",
              tv ? "bg-slate-800 text-slate-200 hover:bg-slate-700" : "bg-slate-900 text-white hover:bg-slate-700",
            )}
            data-testid={tv ? "board-exit-tv" : "board-tv"}
          >
            {tv ? t("exitTv") : t("tvMode")}
          </Link>
        </div>
      </div>
      <BoardTotals board={b} tv={tv} />
      {b.hostHealth ? <HostHealth idcs={b.hostHealth} tv={tv} /> : null}
      {b.groups.length === 0 && b.notMonitored.length === 0 ? <p className="mt-6 text-slate-500">{t("noServices")}</p> : null}
      {b.groups.length > 0 && b.counts.RED + b.counts.AMBER === 0 ? (
        <p className={clsx("mt-6 font-semibold text-emerald-500", tv ? "text-3xl" : "text-lg")} data-testid="board-all-green">
          {t("allGreen")}
        </p>
      ) : null}
      <div className="mt-5 space-y-4">
        {b.groups.map((g) => (
          <LineGroup key={g.productLine.id} group={g} tv={tv} now={now} canAck={canAck} onAction={setAction} />
        ))}
      </div>
      {b.notMonitored.length > 0 ? (
        <details className={clsx("mt-6 rounded-lg p-4", tv ? "bg-slate-900" : "bg-white shadow-sm ring-1 ring-slate-200")} data-testid="board-not-monitored">
          <summary className={clsx("cursor-pointer font-semibold", tv ? "text-2xl text-slate-300" : "text-sm text-slate-700")}>
            {t("notMonitored", { n: b.counts.UNKNOWN })} <span className="font-normal text-slate-500">— {t("notMonitoredHint")}</span>
          </summary>
          <div className="mt-3 space-y-2">
            {b.notMonitored.map((g) => (
              <div key={g.productLine.id} className="flex flex-wrap items-center gap-1.5">
                <span className={clsx("mr-2 font-medium", tv ? "text-lg text-slate-400" : "text-xs text-slate-500")}>{g.productLine.code}</span>
                {g.services.map((c) => (
                  <ServiceChipLink key={c.serviceId} chip={c} green={false} tv={tv} />
                ))}
              </div>
            ))}
          </div>
        </details>
      ) : null}
      {action ? <AckDialog action={action} onClose={() => setAction(null)} /> : null}
    </div>
  );
}

function LineGroup({ group, tv, now, canAck, onAction }: { group: Group; tv: boolean; now: Date; canAck: boolean; onAction: (a: AckAction) => void }) {
  const t = useTranslations("board");
  const th = useTranslations("health");
  const { problems, healthy: green } = group;
  return (
    <section
      className={clsx("rounded-lg p-4", tv ? "bg-slate-900" : "bg-white shadow-sm ring-1 ring-slate-200")}
      data-testid="board-group"
      data-line={group.productLine.code}
      data-worst={group.worst}
    >
      <header className="mb-3 flex items-baseline gap-3">
        <h2 className={clsx("font-semibold", tv ? "text-2xl text-white" : "text-base text-slate-900")}>
          {group.productLine.code} <span className={clsx("font-normal", tv ? "text-slate-400" : "text-slate-500")}>· {group.productLine.name}</span>
        </h2>
        <Stars n={group.productLine.importance} />
        {group.availability?.pct != null ? (
          <span
            className={clsx("tabular-nums", tv ? "text-lg text-slate-300" : "text-sm text-slate-600")}
            data-testid="line-availability"
            title={th("availability.detail", { errors: group.availability.errorMinutes, minutes: group.availability.minutes })}
          >
            {th("availability.title")}: <b>{th("availability.value", { pct: group.availability.pct })}</b>
          </span>
        ) : null}
        {green.length ? <span className={clsx(tv ? "text-lg text-emerald-400" : "text-sm text-emerald-700")}>{t("healthy", { n: green.length })}</span> : null}
      </header>
      {problems.length ? (
        <div className={clsx("mb-3 grid gap-3", tv ? "grid-cols-1 lg:grid-cols-2" : "grid-cols-1 md:grid-cols-2 2xl:grid-cols-3")}>
          {problems.map((tile) => (
            <ProblemTile key={tile.serviceId} tile={tile} tv={tv} now={now} canAck={canAck} onAction={onAction} />
          ))}
        </div>
      ) : null}
      {green.length ? (
        <div className="flex flex-wrap gap-1.5">
          {green.map((c) => (
            <ServiceChipLink key={c.serviceId} chip={c} green tv={tv} />
          ))}
        </div>
      ) : null}
    </section>
  );
}
