"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { clsx } from "clsx";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { BackendBadge } from "./status";
import { useCheckSummary } from "./templates";

type MemberRow = { ip: string; port: number; weight: number; state: "ENABLED" | "DRAINING" | "DISABLED" };
const STEPS = ["pool", "vip", "templates", "members", "review"] as const;

/** Pool → application → VIP → templates → members → review, then one call that writes it all or nothing. */
export function GuidedFlow({ initialPoolId }: { initialPoolId: number | null }) {
  const t = useTranslations("libra.guided");
  const tm = useTranslations("libra.memberState");
  const trpc = useTRPC();
  const router = useRouter();
  const pools = useQuery(trpc.libra.pools.queryOptions()).data ?? [];
  const templates = useQuery(trpc.libra.templates.queryOptions()).data;
  const caps = useQuery(trpc.libra.capabilities.queryOptions()).data ?? [];
  const summary = useCheckSummary();
  const [step, setStep] = useState(0);
  const [poolId, setPoolId] = useState<number | null>(initialPoolId);
  const [name, setName] = useState("");
  const [serviceId, setServiceId] = useState("");
  const [vip, setVip] = useState({ ip: "", port: 22121, protocol: "TCP" as "TCP" | "UDP" });
  const [healthCheckId, setHealth] = useState<number | null>(null);
  const [balanceConfigId, setBalance] = useState<number | null>(null);
  const [members, setMembers] = useState<MemberRow[]>([{ ip: "", port: 22121, weight: 10, state: "ENABLED" }]);
  const create = useMutation(trpc.libra.createApplication.mutationOptions({ onSuccess: (app) => router.push(`/libra/apps/${app.id}`) }));

  const pool = pools.find((p) => p.id === (poolId ?? pools[0]?.id));
  const cap = caps.find((c) => c.backend === pool?.backend);
  const fits = (b: { algorithm: string; lvsKind: string | null }) =>
    !!cap && cap.algorithms.includes(b.algorithm) && (cap.lvsKinds.length ? !!b.lvsKind && cap.lvsKinds.includes(b.lvsKind) : !b.lvsKind);
  const balances = (templates?.balanceConfigs ?? []).filter(fits);
  // Until chosen: a plain TCP check and round robin, what most proxies behind a VIP want.
  const checks = templates?.healthChecks ?? [];
  const health = checks.find((h) => h.id === healthCheckId) ?? checks.find((h) => h.kind === "TCP") ?? checks[0];
  const balance = balances.find((b) => b.id === balanceConfigId) ?? balances.find((b) => b.algorithm === "rr") ?? balances[0];
  const ready = [!!pool && name.length >= 2, !!vip.ip && vip.port > 0, !!health && !!balance, members.every((m) => m.ip && m.port), true];
  const setMember = (i: number, patch: Partial<MemberRow>) => setMembers(members.map((m, k) => (k === i ? { ...m, ...patch } : m)));
  const submit = () =>
    create.mutate({
      poolId: pool!.id,
      name,
      serviceId: serviceId ? Number(serviceId) : null,
      healthCheckId: health!.id,
      balanceConfigId: balance!.id,
      vip,
      members: members.filter((m) => m.ip),
    });

  return (
    <div className="space-y-4">
      <ol className="flex flex-wrap gap-2" data-testid="libra-steps">
        {STEPS.map((s, i) => (
          <li key={s}>
            <button
              type="button"
              disabled={i > step && !ready.slice(0, i).every(Boolean)}
              onClick={() => setStep(i)}
              className={clsx(
                "rounded-full px-3 py-1 text-sm ring-1",
                i === step
                  ? "bg-indigo-600 text-white ring-indigo-600"
                  : i < step
                    ? "bg-indigo-50 text-indigo-700 ring-indigo-200"
                    : "bg-white text-slate-500 ring-slate-200",
              )}
            >
              {i + 1}. {t(`steps.${s}`)}
            </button>
          </li>
        ))}
      </ol>
      <Card title={t(`steps.${STEPS[step]}`)}>
        {step === 0 ? (
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label={t("pool")}>
              <Select value={pool?.id ?? ""} onChange={(e) => setPoolId(Number(e.target.value))} data-testid="libra-flow-pool">
                {pools.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} ({p.backend === "HAPROXY" ? "HAProxy" : "LVS"})
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t("name")} hint={t("nameHint")}>
              <Input value={name} onChange={(e) => setName(e.target.value)} data-testid="libra-flow-name" />
            </Field>
            <Field label={t("service")} hint={t("serviceHint")}>
              <Input type="number" value={serviceId} onChange={(e) => setServiceId(e.target.value)} />
            </Field>
            {cap ? (
              <p className="text-xs text-slate-500 sm:col-span-3">
                {t("supports", {
                  algorithms: cap.algorithms.join(", "),
                  kinds: cap.lvsKinds.join(", ") || t("proxyOnly"),
                  max: cap.maxWeight,
                  protocols: cap.protocols.join(", "),
                })}
              </p>
            ) : null}
          </div>
        ) : null}
        {step === 1 ? (
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label={t("vipIp")} hint={t("vipHint")}>
              <Input value={vip.ip} onChange={(e) => setVip({ ...vip, ip: e.target.value })} placeholder="127.0.2.20" data-testid="libra-flow-vip-ip" />
            </Field>
            <Field label={t("vipPort")}>
              <Input type="number" value={vip.port} onChange={(e) => setVip({ ...vip, port: Number(e.target.value) })} data-testid="libra-flow-vip-port" />
            </Field>
            <Field label={t("protocol")}>
              <Select value={vip.protocol} onChange={(e) => setVip({ ...vip, protocol: e.target.value as "TCP" | "UDP" })}>
                {(cap?.protocols ?? ["TCP"]).map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        ) : null}
        {step === 2 ? (
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label={t("health")} hint={health ? summary(health) : undefined}>
              <Select value={health?.id ?? ""} onChange={(e) => setHealth(Number(e.target.value))} data-testid="libra-flow-health">
                {(templates?.healthChecks ?? []).map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t("balance")} hint={t("balanceHint", { backend: pool?.backend === "LVS" ? "LVS" : "HAProxy" })}>
              <Select value={balance?.id ?? ""} onChange={(e) => setBalance(Number(e.target.value))} data-testid="libra-flow-balance">
                {balances.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name} ({b.algorithm}
                    {b.lvsKind ? ` · ${b.lvsKind}` : ""})
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        ) : null}
        {step === 3 ? (
          <div className="space-y-2" data-testid="libra-flow-members">
            {members.map((m, i) => (
              <div key={i} className="grid grid-cols-[2fr_1fr_1fr_1fr_auto] items-end gap-2">
                <Field label={i === 0 ? t("memberIp") : ""}>
                  <Input
                    value={m.ip}
                    onChange={(e) => setMember(i, { ip: e.target.value })}
                    placeholder="127.0.12.1"
                    data-testid={`libra-flow-member-ip-${i}`}
                  />
                </Field>
                <Field label={i === 0 ? t("memberPort") : ""}>
                  <Input
                    type="number"
                    value={m.port}
                    onChange={(e) => setMember(i, { port: Number(e.target.value) })}
                    data-testid={`libra-flow-member-port-${i}`}
                  />
                </Field>
                <Field label={i === 0 ? t("weight") : ""}>
                  <Input
                    type="number"
                    value={m.weight}
                    onChange={(e) => setMember(i, { weight: Number(e.target.value) })}
                    data-testid={`libra-flow-member-weight-${i}`}
                  />
                </Field>
                <Field label={i === 0 ? t("state") : ""}>
                  <Select value={m.state} onChange={(e) => setMember(i, { state: e.target.value as MemberRow["state"] })}>
                    {(["ENABLED", "DRAINING", "DISABLED"] as const).map((s) => (
                      <option key={s} value={s}>
                        {t(`states.${s}`)}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Button variant="ghost" onClick={() => setMembers(members.filter((_, k) => k !== i))} aria-label={t("removeMember")}>
                  ✕
                </Button>
              </div>
            ))}
            <Button onClick={() => setMembers([...members, { ...members[members.length - 1]!, ip: "" }])} data-testid="libra-flow-add-member">
              + {t("addMember")}
            </Button>
            <p className="text-xs text-slate-500">{t("membersHint")}</p>
          </div>
        ) : null}
        {step === 4 ? (
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]" data-testid="libra-flow-review">
            <dt className="text-slate-500">{t("pool")}</dt>
            <dd className="flex items-center gap-2">
              {pool?.name} {pool ? <BackendBadge backend={pool.backend} /> : null}
            </dd>
            <dt className="text-slate-500">{t("name")}</dt>
            <dd>{name}</dd>
            <dt className="text-slate-500">VIP</dt>
            <dd className="font-mono">
              {vip.ip}:{vip.port}/{vip.protocol.toLowerCase()}
            </dd>
            <dt className="text-slate-500">{t("health")}</dt>
            <dd>
              {health?.name} — {health ? summary(health) : ""}
            </dd>
            <dt className="text-slate-500">{t("balance")}</dt>
            <dd>
              {balance?.name} ({balance?.algorithm}
              {balance?.lvsKind ? ` · ${balance.lvsKind}` : ""})
            </dd>
            <dt className="text-slate-500">{t("members")}</dt>
            <dd className="font-mono text-xs">
              {members
                .filter((m) => m.ip)
                .map((m) => `${m.ip}:${m.port} w${m.weight} ${tm(m.state)}`)
                .join(" · ") || "—"}
            </dd>
          </dl>
        ) : null}
        <div className="mt-4 space-y-2">
          <ErrorNote error={create.error} />
          <div className="flex gap-2">
            {step > 0 ? <Button onClick={() => setStep(step - 1)}>{t("back")}</Button> : null}
            {step < STEPS.length - 1 ? (
              <Button variant="primary" disabled={!ready[step]} onClick={() => setStep(step + 1)} data-testid="libra-flow-next">
                {t("next")}
              </Button>
            ) : (
              <Button variant="primary" disabled={create.isPending} onClick={submit} data-testid="libra-flow-create">
                {t("create")}
              </Button>
            )}
          </div>
          {step === STEPS.length - 1 ? <p className="text-xs text-slate-500">{t("afterCreate")}</p> : null}
        </div>
      </Card>
    </div>
  );
}
