"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Input } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";

type Row = { key: string; type: string; value: string };

function KeyTable({ title, unit, rows, testid }: { title: string; unit: string; rows: Row[]; testid: string }) {
  const t = useTranslations("keysUi");
  return (
    <div data-testid={testid}>
      <h4 className="mb-1 text-xs font-semibold text-slate-600">{title}</h4>
      <table className="w-full text-xs">
        <thead className="text-left text-slate-500">
          <tr>
            <th>{t("key")}</th>
            <th>{t("type")}</th>
            <th className="text-right">{unit}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className="border-t border-slate-100">
              <td className="max-w-[14rem] truncate font-mono" title={r.key}>
                {r.key}
              </td>
              <td>{r.type}</td>
              <td className="text-right tabular-nums">{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Big and hot keys per shard from the latest analysis, with its time of sampling; DBAs start one at a chosen rate. */
export function KeyAnalysisCard({ serviceId, canWrite }: { serviceId: number; canWrite: boolean }) {
  const t = useTranslations("keysUi");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const format = useFormatter();
  const latest = useQuery({
    ...trpc.keys.latest.queryOptions({ serviceId }),
    refetchInterval: (q) => (q.state.data?.analysis?.status === "RUNNING" ? 2000 : 60_000),
  });
  const [rate, setRate] = useState("1000");
  const analyse = useMutation(
    trpc.keys.analyse.mutationOptions({
      onSuccess: () =>
        Promise.all([qc.invalidateQueries({ queryKey: trpc.keys.latest.pathKey() }), qc.invalidateQueries({ queryKey: trpc.operations.jobs.pathKey() })]),
    }),
  );
  const d = latest.data;
  if (!d || !d.analysable) return latest.error ? <ErrorNote error={latest.error} /> : null;
  const a = d.analysis;
  const when = (at: Date | string) => format.dateTime(new Date(at), { dateStyle: "medium", timeStyle: "medium" });
  return (
    <Card
      title={t("title")}
      className="mb-4"
      actions={
        canWrite ? (
          <span className="inline-flex items-center gap-2 text-sm">
            <Input className="w-24" inputMode="numeric" value={rate} onChange={(e) => setRate(e.target.value)} aria-label={t("rate")} data-testid="keys-rate" />
            <Button
              variant="primary"
              disabled={analyse.isPending || a?.status === "RUNNING"}
              onClick={() => analyse.mutate({ serviceId, keysPerSecond: Number(rate), top: 20 })}
              data-testid="keys-analyse"
            >
              {t("start")}
            </Button>
          </span>
        ) : null
      }
    >
      <p className="mb-3 text-sm text-slate-600">{t("intro")}</p>
      {analyse.error ? <ErrorNote error={analyse.error} /> : null}
      {!a ? (
        <p className="text-sm text-slate-500">{t("none")}</p>
      ) : a.status === "RUNNING" ? (
        <p className="text-sm text-slate-500">{t("running", { at: when(a.createdAt) })}</p>
      ) : a.status === "FAILED" ? (
        <p className="text-sm text-red-700">{t("failed", { error: a.error ?? "" })}</p>
      ) : (
        <div data-testid="keys-result">
          <p className="mb-2 text-sm text-slate-700" data-testid="keys-sampled-at">
            {t("sampledAt", { at: when(a.sampledAt!), rate: a.keysPerSecond })}
          </p>
          {a.shards.map((s) => (
            <div key={s.shard} className="mb-3 border-t border-slate-100 pt-2">
              <p className="mb-2 text-xs text-slate-500">
                {t("shard", { shard: s.shard, role: s.role.toLowerCase(), source: s.source, keys: s.scanned, seconds: s.seconds.toFixed(1) })}
              </p>
              <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
                <KeyTable
                  title={t("bySize")}
                  unit={t("bytes")}
                  testid="keys-by-size"
                  rows={s.bySize.map((k) => ({ key: k.key, type: k.type, value: format.number(k.bytes / 1e6, { maximumFractionDigits: 2 }) + " MB" }))}
                />
                <KeyTable
                  title={t("byElements")}
                  unit={t("elements")}
                  testid="keys-by-elements"
                  rows={s.byElements.map((k) => ({ key: k.key, type: k.type, value: format.number(k.elements) }))}
                />
                {s.hot ? (
                  <KeyTable
                    title={t("hot")}
                    unit={t("freq")}
                    testid="keys-hot"
                    rows={s.hot.map((k) => ({ key: k.key, type: k.type, value: String(k.freq) }))}
                  />
                ) : (
                  <p className="text-xs text-slate-500" data-testid="keys-no-lfu">
                    {t("noLfu", { policy: s.policy })}
                  </p>
                )}
              </div>
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}
