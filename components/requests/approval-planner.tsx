"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useDeferredValue } from "react";
import { Button } from "@/components/ui/button";
import { SkippedHostsNote } from "@/components/capacity/skipped-hosts";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useText } from "@/components/ui/use-text";
import { Field, Input } from "@/components/ui/field";
import { isMemcachedKind } from "@/server/domain/provisioning/request-schema";
import type { PlanAdjustment } from "@/server/domain/provisioning/sizing";
import { useTRPC } from "@/trpc/client";
import { PlanView } from "./plan-view";
import type { RequestDetail } from "./types";

export type { PlanAdjustment };

/** A number box that holds either the DBA's figure or nothing (the proposed one shows as placeholder). */
function NumberField({
  label,
  proposed,
  value,
  onChange,
  testId,
}: {
  label: string;
  proposed: number;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  testId: string;
}) {
  return (
    <Field label={label}>
      <Input
        type="number"
        className="w-28 tabular-nums"
        placeholder={String(proposed)}
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        data-testid={testId}
      />
    </Field>
  );
}

/**
 * The DBA's last look before approving: the plan (with any figures they change, re-sized by the
 * server) and where the scheduler would put each copy now. Approving sends the same adjustment.
 */
export function ApprovalPlanner({ request, adjust, onAdjust }: { request: RequestDetail; adjust: PlanAdjustment; onAdjust: (a: PlanAdjustment) => void }) {
  const t = useTranslations("requests.approval");
  const say = useText();
  const ti = useTranslations("inventory");
  const trpc = useTRPC();
  const deferred = useDeferredValue(adjust);
  const preview = useQuery({
    ...trpc.requests.previewApproval.queryOptions({ id: request.id, adjust: deferred }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const p = request.plan;
  const memcached = isMemcachedKind(p.kind);
  const unit = memcached ? t("nodes") : t("shards");
  const set = (k: keyof PlanAdjustment) => (v: number | undefined) => onAdjust({ ...adjust, [k]: v });
  const changed = Object.values(adjust).some((v) => v !== undefined);
  const data = preview.data;
  return (
    <Card title={t("title")}>
      <div className="space-y-4" data-testid="approval-planner">
        <p className="text-sm text-slate-600">{t("hint")}</p>
        <div className="flex flex-wrap items-end gap-3">
          <NumberField label={unit} proposed={p.shards} value={adjust.shards} onChange={set("shards")} testId="adjust-shards" />
          <NumberField
            label={t("memoryMb")}
            proposed={p.perShardMemoryMb}
            value={adjust.perShardMemoryMb}
            onChange={set("perShardMemoryMb")}
            testId="adjust-memory"
          />
          {memcached ? null : (
            <NumberField label={t("copies")} proposed={p.replicas} value={adjust.replicas} onChange={set("replicas")} testId="adjust-replicas" />
          )}
          {p.proxies ? (
            <NumberField label={t("proxies")} proposed={p.proxies} value={adjust.proxies} onChange={set("proxies")} testId="adjust-proxies" />
          ) : null}
          {changed ? (
            <Button variant="ghost" onClick={() => onAdjust({})} data-testid="adjust-reset">
              {t("reset")}
            </Button>
          ) : null}
        </div>
        {/* the server's sentence names the figure it refuses (sizing's, or the input's bounds) */}
        <ErrorNote error={preview.error} />
        {data ? (
          <>
            {data.adjusted ? (
              <div className="rounded-md bg-amber-50 p-3 ring-1 ring-amber-200" data-testid="adjusted-plan">
                <p className="mb-2 text-sm font-medium text-amber-900">{t("adjusted")}</p>
                <PlanView plan={data.plan} />
              </div>
            ) : null}
            <div>
              <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("placement")}</h3>
              <SkippedHostsNote hosts={data.skippedHosts} testId="approval-skipped-hosts" className="mb-2" />
              {data.placement.fits ? (
                <>
                  <table className="min-w-full text-sm" data-testid="approval-placement">
                    <thead className="text-left text-xs uppercase text-slate-500">
                      <tr>
                        <th className="py-1">{t("role")}</th>
                        <th>{unit}</th>
                        <th>{t("copy")}</th>
                        <th>{t("address")}</th>
                        <th>{t("where")}</th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {data.placement.groups.flatMap((g) =>
                        g.items.map((i) => {
                          const role = g.role === "MASTER" ? (i.replicaIndex === 0 ? "MASTER" : "REPLICA") : g.role;
                          return (
                            <tr key={`${g.role}-${i.shardIndex}-${i.replicaIndex}`}>
                              <td className="py-1">{ti(`roles.${role}`)}</td>
                              <td className="tabular-nums">{g.role === "MASTER" || g.role === "CACHE" ? i.shardIndex + 1 : "—"}</td>
                              <td className="tabular-nums">{i.replicaIndex + 1}</td>
                              <td className="font-mono text-xs">
                                {i.ip}:{i.port}
                              </td>
                              <td className="text-xs text-slate-600">
                                {i.idc} / {i.rack}
                              </td>
                            </tr>
                          );
                        }),
                      )}
                    </tbody>
                  </table>
                  {data.placement.groups.some((g) => g.skippedPorts.length) ? (
                    <p className="mt-1 text-xs text-amber-800" data-testid="approval-skipped-ports">
                      {t("skippedPorts", { ports: data.placement.groups.flatMap((g) => g.skippedPorts.map((p) => `${p.ip}:${p.port}`)).join(", ") })}
                    </p>
                  ) : null}
                  <p className="mt-1 text-xs text-slate-500">{t("placementHint")}</p>
                </>
              ) : (
                <p className="rounded-md bg-rose-50 p-3 text-sm text-rose-800 ring-1 ring-rose-200" data-testid="approval-refusal">
                  {t("noFit")} {say(data.placement.refusal)}
                </p>
              )}
            </div>
          </>
        ) : null}
      </div>
    </Card>
  );
}
