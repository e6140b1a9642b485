"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { SimpleTable, td } from "./status";

type CheckKind = "TCP" | "HTTP" | "SSL" | "SCRIPT";

/** How a health check reads in one line, e.g. "HTTP GET /health → 200 · every 5 s, 3 s timeout, 3 tries". */
export function useCheckSummary() {
  const t = useTranslations("libra.templates");
  return (h: {
    kind: string;
    httpPath: string | null;
    expectStatus: number | null;
    script: string | null;
    intervalSeconds: number;
    timeoutSeconds: number;
    retries: number;
  }) =>
    `${h.kind === "HTTP" || h.kind === "SSL" ? `${h.kind} GET ${h.httpPath} → ${h.expectStatus ?? 200}` : h.kind === "SCRIPT" ? `${h.script}` : "TCP connect"} · ${t("timing", { interval: h.intervalSeconds, timeout: h.timeoutSeconds, retries: h.retries })}`;
}

function NewHealthCheck() {
  const t = useTranslations("libra.templates");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const empty = { name: "", kind: "TCP" as CheckKind, httpPath: "/health", expectStatus: 200, script: "", intervalSeconds: 3, timeoutSeconds: 2, retries: 3 };
  const [f, setF] = useState(empty);
  const create = useMutation(
    trpc.libra.createHealthCheck.mutationOptions({ onSuccess: () => (setF(empty), void qc.invalidateQueries({ queryKey: trpc.libra.templates.queryKey() })) }),
  );
  const web = f.kind === "HTTP" || f.kind === "SSL";
  return (
    <div className="space-y-2">
      <div className="grid gap-2 sm:grid-cols-4 lg:grid-cols-8">
        <Field label={t("name")}>
          <Input value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} placeholder="http-health" />
        </Field>
        <Field label={t("kind")}>
          <Select value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as CheckKind })}>
            {["TCP", "HTTP", "SSL", "SCRIPT"].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </Select>
        </Field>
        {web ? (
          <Field label={t("path")}>
            <Input value={f.httpPath} onChange={(e) => setF({ ...f, httpPath: e.target.value })} />
          </Field>
        ) : null}
        {web ? (
          <Field label={t("status")}>
            <Input type="number" value={f.expectStatus} onChange={(e) => setF({ ...f, expectStatus: Number(e.target.value) })} />
          </Field>
        ) : null}
        {f.kind === "SCRIPT" ? (
          <Field label={t("script")} className="sm:col-span-2">
            <Input value={f.script} onChange={(e) => setF({ ...f, script: e.target.value })} placeholder="/usr/local/bin/check.sh" />
          </Field>
        ) : null}
        <Field label={t("interval")}>
          <Input type="number" value={f.intervalSeconds} onChange={(e) => setF({ ...f, intervalSeconds: Number(e.target.value) })} />
        </Field>
        <Field label={t("timeout")}>
          <Input type="number" value={f.timeoutSeconds} onChange={(e) => setF({ ...f, timeoutSeconds: Number(e.target.value) })} />
        </Field>
        <Field label={t("retries")}>
          <Input type="number" value={f.retries} onChange={(e) => setF({ ...f, retries: Number(e.target.value) })} />
        </Field>
      </div>
      <ErrorNote error={create.error} />
      <Button
        variant="primary"
        disabled={create.isPending}
        onClick={() =>
          create.mutate({ ...f, httpPath: web ? f.httpPath : null, expectStatus: web ? f.expectStatus : null, script: f.kind === "SCRIPT" ? f.script : null })
        }
      >
        {t("createCheck")}
      </Button>
    </div>
  );
}

function NewBalance() {
  const t = useTranslations("libra.templates");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const empty = { name: "", algorithm: "rr", lvsKind: "" as "" | "DR" | "NAT" | "TUN", persistenceSeconds: 0 };
  const [f, setF] = useState(empty);
  const create = useMutation(
    trpc.libra.createBalanceConfig.mutationOptions({
      onSuccess: () => (setF(empty), void qc.invalidateQueries({ queryKey: trpc.libra.templates.queryKey() })),
    }),
  );
  return (
    <div className="space-y-2">
      <div className="grid gap-2 sm:grid-cols-5">
        <Field label={t("name")}>
          <Input value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} placeholder="lvs-dr-wlc" />
        </Field>
        <Field label={t("algorithm")} hint={t("algorithmHint")}>
          <Input value={f.algorithm} onChange={(e) => setF({ ...f, algorithm: e.target.value })} />
        </Field>
        <Field label={t("lvsKind")}>
          <Select value={f.lvsKind} onChange={(e) => setF({ ...f, lvsKind: e.target.value as typeof f.lvsKind })}>
            <option value="">{t("proxy")}</option>
            {["DR", "NAT", "TUN"].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("persistence")}>
          <Input type="number" value={f.persistenceSeconds} onChange={(e) => setF({ ...f, persistenceSeconds: Number(e.target.value) })} />
        </Field>
        <div className="flex items-end">
          <Button variant="primary" disabled={create.isPending} onClick={() => create.mutate({ ...f, lvsKind: f.lvsKind || null })}>
            {t("createBalance")}
          </Button>
        </div>
      </div>
      <ErrorNote error={create.error} />
    </div>
  );
}

/** Health checks and balance configs: reusable templates, most applications share a few. */
export function Templates({ canWrite }: { canWrite: boolean }) {
  const t = useTranslations("libra.templates");
  const trpc = useTRPC();
  const data = useQuery(trpc.libra.templates.queryOptions()).data;
  const summary = useCheckSummary();
  return (
    <div className="grid gap-4 xl:grid-cols-2">
      <Card title={t("checks")}>
        <SimpleTable head={[t("name"), t("check"), t("used")]} testId="libra-checks">
          {(data?.healthChecks ?? []).map((h) => (
            <tr key={h.id}>
              <td className={`${td} font-medium`}>{h.name}</td>
              <td className={`${td} text-slate-600`}>{summary(h)}</td>
              <td className={`${td} tabular-nums`}>{h._count.applications}</td>
            </tr>
          ))}
        </SimpleTable>
        {canWrite ? (
          <details className="mt-3">
            <summary className="cursor-pointer text-sm font-medium text-indigo-700">{t("addCheck")}</summary>
            <div className="mt-2">
              <NewHealthCheck />
            </div>
          </details>
        ) : null}
      </Card>
      <Card title={t("balances")}>
        <SimpleTable head={[t("name"), t("algorithm"), t("lvsKind"), t("persistence"), t("used")]} testId="libra-balances">
          {(data?.balanceConfigs ?? []).map((b) => (
            <tr key={b.id}>
              <td className={`${td} font-medium`}>{b.name}</td>
              <td className={`${td} font-mono`}>{b.algorithm}</td>
              <td className={td}>{b.lvsKind ?? t("proxy")}</td>
              <td className={`${td} tabular-nums`}>{b.persistenceSeconds ? `${b.persistenceSeconds} s` : "—"}</td>
              <td className={`${td} tabular-nums`}>{b._count.applications}</td>
            </tr>
          ))}
        </SimpleTable>
        {canWrite ? (
          <details className="mt-3">
            <summary className="cursor-pointer text-sm font-medium text-indigo-700">{t("addBalance")}</summary>
            <div className="mt-2">
              <NewBalance />
            </div>
          </details>
        ) : null}
      </Card>
    </div>
  );
}
