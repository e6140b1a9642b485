"use client";

import { useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import { useText } from "@/components/ui/use-text";
import { useTRPC } from "@/trpc/client";
import { RunStatus, SimpleTable, td } from "./status";

/** `text`: the line as a code (runs before codes have only the English `message`) */
type Line = { at: string; level: string; message: string; text?: unknown };
const LEVEL: Record<string, string> = { error: "text-rose-400 font-semibold", warn: "text-amber-300" };

/** The sync runs of a pool, newest first; one opens its log. Failed runs stand out in red. */
export function SyncLog({ poolId, live }: { poolId: number; live: boolean }) {
  const t = useTranslations("libra.log");
  const tx = useText();
  const format = useFormatter();
  const trpc = useTRPC();
  const runs = useQuery({ ...trpc.libra.runs.queryOptions({ poolId, limit: 30 }), refetchInterval: live ? 2000 : false });
  const [open, setOpen] = useState<number | null>(null);
  const shown = open ?? runs.data?.[0]?.id ?? null;
  const run = useQuery({ ...trpc.libra.run.queryOptions({ runId: shown ?? 1 }), enabled: shown !== null, refetchInterval: live ? 2000 : false });
  return (
    <Card title={t("title")}>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <SimpleTable head={[t("when"), t("trigger"), t("status"), t("version")]} testId="libra-runs">
          {(runs.data ?? []).map((r) => (
            <tr
              key={r.id}
              onClick={() => setOpen(r.id)}
              className={clsx("cursor-pointer hover:bg-slate-50", r.id === shown && "bg-indigo-50", r.status === "FAILED" && "bg-rose-50/60")}
              data-testid={`libra-run-${r.id}`}
              data-status={r.status}
            >
              <td className={clsx(td, "whitespace-nowrap tabular-nums")}>{format.dateTime(r.startedAt, { dateStyle: "short", timeStyle: "medium" })}</td>
              <td className={td}>{t(`triggers.${r.trigger}`)}</td>
              <td className={td}>
                <RunStatus status={r.status} />
                {r.error ? (
                  <div className="mt-0.5 max-w-xs truncate text-xs text-rose-700" title={r.error}>
                    {r.error}
                  </div>
                ) : null}
              </td>
              <td className={clsx(td, "tabular-nums")}>{r.version ? `v${r.version.number}` : "—"}</td>
            </tr>
          ))}
        </SimpleTable>
        <div
          className="max-h-[28rem] min-h-32 overflow-y-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-200"
          data-testid="libra-run-log"
        >
          {!run.data ? <span className="text-slate-500">{t("none")}</span> : null}
          {((run.data?.log ?? []) as Line[]).map((l, i) => (
            <div key={i} className={clsx("whitespace-pre-wrap break-words", LEVEL[l.level])} data-level={l.level}>
              <span className="text-slate-500">{format.dateTime(new Date(l.at), { timeStyle: "medium" })}</span> {tx(l.text, l.message)}
            </div>
          ))}
        </div>
      </div>
    </Card>
  );
}
