"use client";

import { clsx } from "clsx";
import { useTranslations } from "next-intl";
import type { BoardData } from "./types";

const TONE = { RED: "text-rose-500", AMBER: "text-amber-500", GREEN: "text-emerald-500", UNKNOWN: "text-slate-400" } as const;

export function BoardTotals({ board, tv }: { board: BoardData; tv: boolean }) {
  const t = useTranslations("board");
  const cells: { key: string; label: string; value: number; tone: string }[] = [
    ...(["RED", "AMBER", "GREEN", "UNKNOWN"] as const).map((l) => ({ key: l, label: t(`levels.${l}`), value: board.counts[l], tone: TONE[l] })),
    { key: "open", label: t("openIncidents"), value: board.openIncidents, tone: board.openIncidents ? "text-rose-500" : "" },
    { key: "unack", label: t("unacknowledged"), value: board.unacknowledged, tone: board.unacknowledged ? "text-rose-500" : "" },
    { key: "silenced", label: t("silenced"), value: board.silenced, tone: "" },
  ];
  return (
    <div className="grid grid-cols-3 gap-3 md:grid-cols-7" data-testid="board-totals">
      {cells.map((c) => (
        <div
          key={c.key}
          className={clsx("rounded-lg px-4 py-2", tv ? "bg-slate-900" : "bg-white shadow-sm ring-1 ring-slate-200")}
          data-testid={`total-${c.key}`}
        >
          <div className={clsx(tv ? "text-lg text-slate-400" : "text-xs text-slate-500")}>{c.label}</div>
          <div className={clsx("font-bold tabular-nums", tv ? "text-5xl" : "text-2xl", c.tone)}>{c.value}</div>
        </div>
      ))}
    </div>
  );
}

const pct = (n: number, of: number) => (of ? `${Math.round((n / of) * 1000) / 10}%` : "—");

/** Per IDC, from the host probe: schedulable / online / crashed as shares of the IDC's hosts. */
export function HostHealth({ idcs, tv }: { idcs: NonNullable<BoardData["hostHealth"]>; tv: boolean }) {
  const t = useTranslations("board");
  return (
    <div
      className={clsx(
        "mt-3 flex flex-wrap items-center gap-x-6 gap-y-2 rounded-lg px-4 py-2",
        tv ? "bg-slate-900 text-lg" : "bg-white text-sm shadow-sm ring-1 ring-slate-200",
      )}
      data-testid="board-hosts"
    >
      <span className={clsx("font-semibold", tv ? "text-slate-300" : "text-slate-700")}>{t("hostHealth")}</span>
      {idcs.map((d) => (
        <span key={d.idcId} className="tabular-nums" data-testid="board-idc">
          <span className="font-semibold">{d.code}</span> <span className="text-slate-500">({t("hosts", { n: d.hosts })})</span> {t("schedulable")}{" "}
          <b className="text-emerald-500">{pct(d.schedulable, d.hosts)}</b> · {t("online")} <b>{pct(d.online, d.hosts)}</b> · {t("crashed")}{" "}
          <b className={d.crashed ? "text-rose-500" : ""}>{pct(d.crashed, d.hosts)}</b>
          {d.unprobed ? <span className="text-slate-500"> ({t("unprobed", { n: d.unprobed })})</span> : null}
        </span>
      ))}
    </div>
  );
}
