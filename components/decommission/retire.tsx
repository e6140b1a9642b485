"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Input } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";

/** A retirement or a cleanup in the requests list: it has no plan, only the service it changes. */
export function RetireLabel({ action = "DECOMMISSION", service, pattern }: { action?: string; service: string; pattern?: string }) {
  const t = useTranslations("decommissionUi");
  return (
    <span className="inline-flex items-center gap-1.5" data-testid={action === "CLEANUP" ? "cleanup-label" : "retire-label"}>
      <Badge tone="amber">{t(action === "CLEANUP" ? "cleanup" : "retire")}</Badge>
      {service}
      {pattern ? <code className="font-mono text-xs">{pattern}</code> : null}
    </span>
  );
}

/** A cleanup's page: which keys of which service go once approved. */
export function CleanupDetail({ form, reason }: { form: { service: string; pattern: string }; reason: string }) {
  const t = useTranslations("decommissionUi");
  return (
    <Card title={t("cleanupTitle")}>
      <div className="space-y-2 text-sm" data-testid="cleanup-detail">
        <p>
          <RetireLabel action="CLEANUP" service={form.service} pattern={form.pattern} />{" "}
          <span className="ml-2 whitespace-pre-line text-slate-700">{reason}</span>
        </p>
        <p className="text-slate-500">{t("cleanupWhat", { service: form.service, pattern: form.pattern })}</p>
      </div>
    </Card>
  );
}

/** A retirement's page: the service, its VIPs and, first, the clients still connected to it. */
export function RetireDetail({ requestId, reason }: { requestId: number; reason: string }) {
  const t = useTranslations("decommissionUi");
  const trpc = useTRPC();
  const preview = useQuery(trpc.decommission.preview.queryOptions({ requestId }));
  const p = preview.data;
  return (
    <Card title={t("title")}>
      {preview.error ? <ErrorNote error={preview.error} /> : null}
      {p ? (
        <div className="space-y-3 text-sm" data-testid="retire-detail">
          <p>
            <RetireLabel service={p.service.name} /> <span className="ml-2 whitespace-pre-line text-slate-700">{reason}</span>
          </p>
          <p data-testid="retire-vips">{p.vips.length ? t("vips", { vips: p.vips.map((v) => `${v.app} (${v.vip ?? "—"})`).join(", ") }) : t("noVips")}</p>
          <p className={p.clients.length ? "font-medium text-amber-800" : "text-emerald-700"} data-testid="retire-clients">
            {t("clients", { n: p.clients.length })}
          </p>
          {p.clients.length ? (
            <table className="w-full text-xs" data-testid="retire-client-list">
              <thead className="text-left text-slate-500">
                <tr>
                  <th>{t("instance")}</th>
                  <th>{t("addr")}</th>
                  <th>{t("user")}</th>
                  <th className="text-right">{t("age")}</th>
                </tr>
              </thead>
              <tbody>
                {p.clients.slice(0, 100).map((c, i) => (
                  <tr key={i} className="border-t border-slate-100">
                    <td className="font-mono">{c.instance}</td>
                    <td className="font-mono">{c.addr}</td>
                    <td>
                      {c.user}
                      {c.name ? ` (${c.name})` : ""}
                    </td>
                    <td className="text-right tabular-nums">{c.ageSec}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {p.unreachable.length ? <p className="text-rose-700">{t("unreachable", { list: p.unreachable.join(", ") })}</p> : null}
          <p className="text-slate-500">{t("what")}</p>
        </div>
      ) : null}
    </Card>
  );
}

/** The service page's "Ask to retire": a reason, then the request's page. */
export function AskRetire({ serviceId }: { serviceId: number }) {
  const t = useTranslations("decommissionUi");
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const ask = useMutation(trpc.decommission.ask.mutationOptions({ onSuccess: (r) => router.push(`/requests/${r.id}`) }));
  if (!open)
    return (
      <Button onClick={() => setOpen(true)} data-testid="retire-ask">
        {t("ask")}
      </Button>
    );
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t("reason")} aria-label={t("reason")} data-testid="retire-reason" />
      <Button variant="primary" disabled={!reason.trim() || ask.isPending} onClick={() => ask.mutate({ serviceId, reason })} data-testid="retire-submit">
        {t("submit")}
      </Button>
      {ask.error ? <ErrorNote error={ask.error} /> : null}
    </span>
  );
}

/** The service page's "Ask to delete keys": a pattern and a reason, then the request's page. */
export function AskCleanup({ serviceId }: { serviceId: number }) {
  const t = useTranslations("decommissionUi");
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pattern, setPattern] = useState("");
  const [reason, setReason] = useState("");
  const ask = useMutation(trpc.decommission.askCleanup.mutationOptions({ onSuccess: (r) => router.push(`/requests/${r.id}`) }));
  if (!open)
    return (
      <Button onClick={() => setOpen(true)} data-testid="cleanup-ask">
        {t("askCleanup")}
      </Button>
    );
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Input
        className="w-40 font-mono"
        value={pattern}
        onChange={(e) => setPattern(e.target.value)}
        placeholder={t("pattern")}
        aria-label={t("pattern")}
        data-testid="cleanup-pattern"
      />
      <Input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t("reason")} aria-label={t("reason")} data-testid="cleanup-reason" />
      <Button
        variant="primary"
        disabled={!pattern || !reason.trim() || ask.isPending}
        onClick={() => ask.mutate({ serviceId, pattern, reason })}
        data-testid="cleanup-submit"
      >
        {t("submit")}
      </Button>
      {ask.error ? <ErrorNote error={ask.error} /> : null}
    </span>
  );
}
