"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useText } from "@/components/ui/use-text";
import { Field, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import type { CapacityForm } from "./capacity-form";
import { toCapacityInput } from "./capacity-form";
import { SkippedHostsNote } from "./skipped-hosts";
import type { PlaceResult } from "./types";

const SOFTWARE = ["REDIS", "MEMCACHED", "TWEMPROXY", "REDIS_SENTINEL"] as const;

/** Places shards × replicas for the same spec and constraints: a dry run first, then lock, then commit or release. */
/** Shown to DBA and ADMIN only: placing (even a dry run) is theirs, and the API says so too. */
export function PlacementPanel({ form }: { form: CapacityForm }) {
  const t = useTranslations("capacity");
  const say = useText();
  const format = useFormatter();
  const ti = useTranslations("inventory");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [shards, setShards] = useState("2");
  const [strategy, setStrategy] = useState<"spread" | "concentrate">("spread");
  const [software, setSoftware] = useState<(typeof SOFTWARE)[number]>("REDIS");
  const [purpose, setPurpose] = useState("");
  const [ttl, setTtl] = useState("900");
  const [plan, setPlan] = useState<PlaceResult | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.scheduler.pathKey() });
  const place = useMutation(
    trpc.scheduler.place.mutationOptions({
      onSuccess: (r) => {
        setPlan(r);
        refresh();
      },
    }),
  );
  const commit = useMutation(
    trpc.scheduler.commit.mutationOptions({
      onSuccess: () => {
        setPlan(null);
        refresh();
      },
    }),
  );
  const release = useMutation(
    trpc.scheduler.release.mutationOptions({
      onSuccess: () => {
        setPlan(null);
        refresh();
      },
    }),
  );
  const run = (dryRun: boolean) =>
    place.mutate({
      ...toCapacityInput(form),
      productLineId: form.productLineId ? Number(form.productLineId) : 0,
      shards: Number(shards),
      strategy,
      preferredIdcId: form.idcId ? Number(form.idcId) : null,
      software,
      purpose: purpose || t("defaultPurpose"),
      serviceId: null,
      ttlSeconds: Number(ttl),
      dryRun,
    });
  return (
    <Card title={t("placeTitle")} actions={<span className="text-xs text-slate-500">{t("placeHint")}</span>}>
      <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Field label={t("shardCount")}>
          <Input type="number" min={1} value={shards} onChange={(e) => setShards(e.target.value)} data-testid="place-shards" />
        </Field>
        <Field label={t("strategy")}>
          <Select value={strategy} onChange={(e) => setStrategy(e.target.value as "spread")}>
            <option value="spread">{t("spread")}</option>
            <option value="concentrate">{t("concentrate")}</option>
          </Select>
        </Field>
        <Field label={t("software")}>
          <Select value={software} onChange={(e) => setSoftware(e.target.value as "REDIS")}>
            {SOFTWARE.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("purpose")} className="lg:col-span-2">
          <Input value={purpose} onChange={(e) => setPurpose(e.target.value)} placeholder={t("defaultPurpose")} />
        </Field>
        <Field label={t("ttl")}>
          <Input type="number" value={ttl} onChange={(e) => setTtl(e.target.value)} />
        </Field>
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button onClick={() => run(true)} disabled={place.isPending} data-testid="place-dry-run">
          {t("dryRun")}
        </Button>
        <Button
          variant="primary"
          onClick={() => run(false)}
          disabled={place.isPending || !form.productLineId}
          data-testid="place-lock"
          title={form.productLineId ? undefined : t("needLine")}
        >
          {t("placeAndLock")}
        </Button>
        {!form.productLineId ? <span className="self-center text-xs text-slate-500">{t("needLine")}</span> : null}
      </div>
      <div className="mt-3 space-y-2">
        <ErrorNote error={place.error ?? commit.error ?? release.error} />
      </div>
      {plan ? (
        <div className="mt-4 space-y-3" data-testid="place-plan">
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <span className={plan.dryRun ? "rounded bg-sky-50 px-2 py-0.5 text-sky-800" : "rounded bg-amber-50 px-2 py-0.5 text-amber-800"}>
              {plan.dryRun
                ? t("dryRunBadge")
                : t("lockedUntil", { time: plan.expiresAt ? format.dateTime(new Date(plan.expiresAt), { timeStyle: "medium" }) : "" })}
            </span>
            <span>{say(plan.summary)}</span>
            {plan.allocationId ? (
              <>
                <Button variant="primary" onClick={() => commit.mutate({ id: plan.allocationId! })} data-testid="place-commit">
                  {t("commit")}
                </Button>
                <Button onClick={() => release.mutate({ id: plan.allocationId! })} data-testid="place-release">
                  {t("release")}
                </Button>
              </>
            ) : null}
          </div>
          <SkippedHostsNote hosts={plan.skippedHosts} testId="place-skipped-hosts" />
          {plan.skippedPorts.length ? (
            <p className="text-xs text-amber-800" data-testid="place-skipped-ports">
              {t("skippedPorts", { ports: plan.skippedPorts.map((p) => `${p.ip}:${p.port}`).join(", ") })}
            </p>
          ) : null}
          <div className="max-h-80 overflow-y-auto rounded ring-1 ring-slate-200">
            <table className="min-w-full text-sm">
              <thead className="sticky top-0 bg-slate-50 text-left text-xs uppercase text-slate-500">
                <tr>
                  <th className="px-3 py-1.5">{t("shard")}</th>
                  <th>{t("role")}</th>
                  <th>{t("host")}</th>
                  <th>{t("port")}</th>
                  <th>{t("rack")}</th>
                  <th>{t("idc")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {plan.items.map((i) => (
                  <tr key={`${i.shardIndex}-${i.replicaIndex}`}>
                    <td className="px-3 py-1 tabular-nums">#{i.shardIndex}</td>
                    <td>{ti(`roles.${i.role}`)}</td>
                    <td className="font-mono">{i.ip}</td>
                    <td className="font-mono">{i.port}</td>
                    <td>{i.rack}</td>
                    <td>{i.idc}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </Card>
  );
}
