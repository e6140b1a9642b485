"use client";

import { useTranslations } from "next-intl";
import { gb } from "@/components/inventory/status";
import { MemcachedNoAuthNote } from "@/components/services/credentials-card";
import { useText } from "@/components/ui/use-text";
import type { RequestPlan } from "./types";

const MEMCACHED = new Set(["MEMCACHED", "MEMCACHED_TWEMPROXY"]);

function Fact({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <div className="rounded-md bg-slate-50 px-3 py-2 ring-1 ring-slate-200">
      <dt className="text-[11px] text-slate-500">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/** What Hedwig proposes: the shape, what each role reserves, and the reasons behind every number. */
export function PlanView({ plan }: { plan: RequestPlan }) {
  const t = useTranslations("requests.plan");
  const tx = useText();
  const ti = useTranslations("inventory");
  const memcached = MEMCACHED.has(plan.kind);
  const { totals } = plan;
  return (
    <div className="space-y-4" data-testid="req-plan">
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3">
        <Fact label={memcached ? t("nodes") : t("shards")} value={plan.shards} testId="plan-shards" />
        <Fact label={memcached ? t("memoryPerNode") : t("memoryPerShard")} value={gb(plan.perShardMemoryMb)} testId="plan-memory" />
        <Fact label={t("copies")} value={plan.replicas} testId="plan-replicas" />
        <Fact
          label={t("sentinels")}
          value={
            plan.sentinels ? t(plan.sentinelsBeside === "PROXY" ? "quorumBesideProxies" : "quorum", { n: plan.sentinels, quorum: plan.sentinelQuorum }) : "—"
          }
          testId="plan-sentinels"
        />
        <Fact label={t("proxies")} value={plan.proxies || "—"} testId="plan-proxies" />
        <Fact label={t("vip")} value={plan.vip ? t("yes") : t("no")} />
      </dl>
      {memcached ? <MemcachedNoAuthNote className="text-xs text-amber-800" /> : null}
      <div>
        <table className="min-w-full text-sm">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1">{t("role")}</th>
              <th className="text-right">{t("count")}</th>
              <th className="text-right">{t("cpu")}</th>
              <th className="text-right">{t("memory")}</th>
              <th className="text-right">{t("disk")}</th>
              <th className="text-right">{t("bandwidth")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums">
            {plan.roles.map((r) => (
              <tr key={r.role}>
                <td className="py-1">
                  {ti(`roles.${r.role}`)} <span className="text-xs text-slate-500">{ti(`software.${r.software}`)}</span>
                </td>
                <td className="text-right">{r.count}</td>
                <td className="text-right">{r.spec.cpuCores}</td>
                <td className="text-right">{gb(r.spec.memoryMb)}</td>
                <td className="text-right">{r.spec.diskGb.toLocaleString()} GB</td>
                <td className="text-right">{r.spec.bandwidthMbps.toLocaleString()} Mbps</td>
              </tr>
            ))}
            <tr className="font-semibold" data-testid="plan-totals">
              <td className="py-1">{t("total")}</td>
              <td className="text-right" data-testid="plan-instances">
                {totals.instances.toLocaleString()}
              </td>
              <td className="text-right">{totals.cpuCores}</td>
              <td className="text-right">{gb(totals.memoryMb)}</td>
              <td className="text-right">{totals.diskGb.toLocaleString()} GB</td>
              <td className="text-right">{totals.bandwidthMbps.toLocaleString()} Mbps</td>
            </tr>
          </tbody>
        </table>
        <p className="mt-1 text-xs text-slate-500">{t("perInstance")}</p>
      </div>
      <div>
        <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("reasons")}</h3>
        {/* Text codes from the server (English strings in plans stored before), naming the setting behind each number. */}
        <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700" data-testid="plan-reasons">
          {plan.reasons.map((r, i) => (
            <li key={i}>{tx(r)}</li>
          ))}
        </ol>
      </div>
    </div>
  );
}
