"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import type { AppRouter } from "@/server/api/root";
import { useTRPC } from "@/trpc/client";
import type { ServiceDetail } from "@/components/services/types";

type Config = inferRouterOutputs<AppRouter>["dayTwo"]["config"];
type Params = Config["current"]["params"];
type Software = "REDIS" | "REDIS_SENTINEL" | "MEMCACHED" | "TWEMPROXY";
const PERSISTENCES = ["none", "rdb", "aof"] as const;

/** The service's parameters and persistence, applied as a new version of its configuration; the versions with their diff and a rollback. */
export function ConfigurationCard({ service }: { service: ServiceDetail }) {
  const trpc = useTRPC();
  const config = useQuery(trpc.dayTwo.config.queryOptions({ serviceId: service.id }));
  if (!config.data) return <ErrorNote error={config.error} />;
  // remounted with the current version, so the form starts from what the service has
  return <ConfigurationForm key={config.data.current.number} service={service} config={config.data} />;
}

function ConfigurationForm({ service, config }: { service: ServiceDetail; config: Config }) {
  const t = useTranslations("dayTwoUi.config");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const softwares = [...new Set(service.instances.map((i) => i.software as Software))];
  const memcachedPool = service.kind === "MEMCACHED_TWEMPROXY";
  const [draft, setDraft] = useState<Params>(config.current.params);
  const [persistence, setPersistence] = useState(config.current.persistence);
  const [note, setNote] = useState("");
  const done = {
    onSuccess: async () => {
      setNote("");
      await qc.invalidateQueries({ queryKey: trpc.operations.jobs.pathKey() });
      await qc.invalidateQueries({ queryKey: trpc.dayTwo.config.pathKey() });
    },
  };
  const apply = useMutation(trpc.dayTwo.change.mutationOptions(done));
  const rollback = useMutation(trpc.dayTwo.rollback.mutationOptions(done));
  const set = (software: Software, key: string, value: string) =>
    setDraft((d) => {
      const next = { ...(d[software] ?? {}) };
      if (value.trim() === "") delete next[key];
      else next[key] = value;
      return { ...d, [software]: next };
    });
  const wanted = Object.fromEntries(Object.entries(draft).filter(([, v]) => v && Object.keys(v).length > 0));
  const changed = JSON.stringify(wanted) !== JSON.stringify(config.current.params) || persistence !== config.current.persistence;
  const rows = config.catalogue.filter((p) => softwares.includes(p.software) && (p.onlyFor !== "memcachedPool" || memcachedPool));

  return (
    <Card title={`${t("title")} · ${t("version", { number: config.current.number })}`} className="mt-4">
      <p className="mb-3 text-xs text-slate-500">{t("subtitle")}</p>
      <div className="mb-3 empty:hidden">
        <ErrorNote error={apply.error ?? rollback.error} />
      </div>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div>
          {softwares.includes("REDIS") ? (
            <Field label={t("persistence")} hint={t("persistenceHint")} className="mb-3 max-w-xs">
              <Select value={persistence} onChange={(e) => setPersistence(e.target.value as (typeof PERSISTENCES)[number])} data-testid="config-persistence">
                {PERSISTENCES.map((p) => (
                  <option key={p} value={p}>
                    {t(`persistenceValues.${p}`)}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          <table className="w-full text-sm" data-testid="config-parameters">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th className="py-1 font-medium">{t("parameter")}</th>
                <th className="py-1 font-medium">{t("value")}</th>
                <th className="py-1 font-medium" />
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => {
                const kind = p.kind;
                const hint =
                  kind.type === "int"
                    ? `${t("range", { min: kind.min, max: kind.max })}${kind.unit ? ` ${kind.unit}` : ""}`
                    : kind.type === "buffer"
                      ? "64mb 16mb 60"
                      : "";
                const value = draft[p.software]?.[p.key] ?? "";
                return (
                  <tr key={`${p.software}:${p.key}`} className="border-t border-slate-100">
                    <td className="py-1.5 pr-2 align-top">
                      <div className="font-mono text-xs">{p.key}</div>
                      <div className="text-xs text-slate-500">{p.software.toLowerCase().replace("_", " ")}</div>
                    </td>
                    <td className="py-1.5 pr-2 align-top">
                      {kind.type === "enum" ? (
                        <Select value={value} onChange={(e) => set(p.software, p.key, e.target.value)} aria-label={p.key}>
                          <option value="">{p.default === null ? t("dependsDefault") : t("default", { value: p.default })}</option>
                          {kind.values.map((v) => (
                            <option key={v}>{v}</option>
                          ))}
                        </Select>
                      ) : (
                        <Input
                          value={value}
                          onChange={(e) => set(p.software, p.key, e.target.value)}
                          placeholder={p.default === null ? t("dependsDefault") : t("default", { value: p.default })}
                          aria-label={`${p.software} ${p.key}`}
                          data-testid={`param-${p.software}-${p.key}`}
                        />
                      )}
                      {hint ? <div className="mt-0.5 text-xs text-slate-400">{hint}</div> : null}
                    </td>
                    <td className="py-1.5 align-top">
                      <Badge tone={p.apply === "live" ? "green" : "amber"}>{t(p.apply)}</Badge>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="mt-3 flex flex-wrap items-end gap-2">
            <Field label={t("note")} className="min-w-[16rem] flex-1">
              <Input value={note} onChange={(e) => setNote(e.target.value)} maxLength={300} data-testid="config-note" />
            </Field>
            <Button
              variant="primary"
              disabled={!changed || apply.isPending}
              title={changed ? undefined : t("nothing")}
              onClick={() => apply.mutate({ serviceId: service.id, params: wanted, persistence, note: note || undefined })}
              data-testid="config-apply"
            >
              {apply.isPending ? t("applying") : t("apply")}
            </Button>
          </div>
        </div>
        <div>
          <h3 className="mb-2 text-xs font-semibold text-slate-600">{t("history")}</h3>
          {config.versions.length === 0 ? <p className="text-sm text-slate-500">{t("noHistory")}</p> : null}
          <ol className="space-y-2" data-testid="config-versions">
            {config.versions.map((v) => (
              <li key={v.id} className="rounded-md p-2 ring-1 ring-slate-200" data-testid={`config-version-${v.number}`}>
                <div className="flex flex-wrap items-center gap-2 text-xs">
                  <span className="font-semibold">{t("version", { number: v.number })}</span>
                  {v.rollbackOf !== null ? <Badge tone="violet">{t("rollbackOf", { number: v.rollbackOf })}</Badge> : null}
                  <span className="text-slate-500">
                    {v.createdBy ? `${t("by", { user: v.createdBy })} · ` : null}
                    {format.dateTime(v.createdAt, { dateStyle: "medium", timeStyle: "short" })}
                  </span>
                </div>
                {v.note ? <p className="mt-1 text-xs text-slate-600">{v.note}</p> : null}
                <ul className="mt-1 font-mono text-xs">
                  {v.persistenceFrom ? (
                    <li>
                      {t("persistence")}: <span className="text-rose-700">{v.persistenceFrom}</span> → <span className="text-emerald-700">{v.persistence}</span>
                    </li>
                  ) : null}
                  {v.changes.map((c) => (
                    <li key={`${c.software}:${c.key}`}>
                      {c.key}: <span className="text-rose-700">{c.from ?? t("defaultValue")}</span> →{" "}
                      <span className="text-emerald-700">{c.to ?? t("defaultValue")}</span>
                    </li>
                  ))}
                </ul>
                <Button
                  className="mt-1"
                  variant="ghost"
                  disabled={rollback.isPending}
                  onClick={() => {
                    if (window.confirm(t("rollbackConfirm", { number: v.number - 1 }))) rollback.mutate({ serviceId: service.id, number: v.number });
                  }}
                  data-testid={`config-rollback-${v.number}`}
                >
                  ↺ {t("rollback")}
                </Button>
              </li>
            ))}
          </ol>
        </div>
      </div>
    </Card>
  );
}
