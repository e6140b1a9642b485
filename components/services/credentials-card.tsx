"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";

type Kind = "APP" | "OPS" | "REPL" | "SENTINEL";
const MEMCACHED_KINDS = new Set(["MEMCACHED", "MEMCACHED_TWEMPROXY"]);

/**
 * The redis-cli line a client copies: the user name, never the password (--askpass asks for it).
 * Behind Twemproxy the application logs in as the default user (no --user).
 */
export const redisCliLine = (host: string, port: number, user: string | null) =>
  `redis-cli -h ${host} -p ${port}${user && user !== "default" ? ` --user ${user}` : ""} --askpass`;

/** Memcached has no password a proxy can pass: said wherever a Memcached service is asked for or delivered. */
export function MemcachedNoAuthNote({ className }: { className?: string }) {
  const t = useTranslations("credentials");
  return (
    <p className={className ?? "text-sm text-amber-800"} data-testid="memcached-no-auth">
      {t("memcachedNoAuth")}
    </p>
  );
}

/** One password shown after a click (audited on the server); hidden again with another click. */
function Reveal({ serviceId, kind }: { serviceId: number; kind: Kind }) {
  const t = useTranslations("credentials");
  const trpc = useTRPC();
  const reveal = useMutation(trpc.credentials.reveal.mutationOptions());
  const [shown, setShown] = useState(false);
  if (shown && reveal.data)
    return (
      <span className="inline-flex flex-wrap items-center gap-2">
        <code className="rounded bg-slate-900 px-2 py-0.5 font-mono text-xs text-emerald-300" data-testid={`cred-password-${kind}`}>
          {reveal.data.password}
        </code>
        {reveal.data.previousPassword ? (
          <span className="text-xs text-slate-500">
            {t("previous")}{" "}
            <code className="font-mono" data-testid={`cred-previous-${kind}`}>
              {reveal.data.previousPassword}
            </code>
          </span>
        ) : null}
        <Button onClick={() => setShown(false)}>{t("hide")}</Button>
      </span>
    );
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button
        disabled={reveal.isPending}
        onClick={() => reveal.mutate({ serviceId, kind }, { onSuccess: () => setShown(true) })}
        data-testid={`cred-reveal-${kind}`}
      >
        {t("reveal")}
      </Button>
      {reveal.error ? (
        <span data-testid={`cred-error-${kind}`}>
          <ErrorNote error={reveal.error} />
        </span>
      ) : null}
    </span>
  );
}

/** An adopted service's login, as its DBA knows it. */
function EnterLogin({ serviceId }: { serviceId: number }) {
  const t = useTranslations("credentials");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [form, setForm] = useState({ kind: "OPS" as "APP" | "OPS", username: "default", password: "" });
  const enter = useMutation(
    trpc.credentials.enter.mutationOptions({
      onSuccess: () => {
        setForm((f) => ({ ...f, password: "" }));
        return qc.invalidateQueries({ queryKey: trpc.credentials.status.pathKey() });
      },
    }),
  );
  return (
    <form
      className="mt-3 grid grid-cols-1 gap-2 border-t border-slate-100 pt-3 md:grid-cols-4"
      onSubmit={(e) => {
        e.preventDefault();
        enter.mutate({ serviceId, ...form });
      }}
    >
      <Field label={t("kindLabel")}>
        <Select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as "APP" | "OPS" })}>
          <option value="OPS">{t("kinds.OPS")}</option>
          <option value="APP">{t("kinds.APP")}</option>
        </Select>
      </Field>
      <Field label={t("user")}>
        <Input value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} data-testid="cred-enter-user" />
      </Field>
      <Field label={t("password")}>
        <Input
          type="password"
          autoComplete="off"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          data-testid="cred-enter-password"
        />
      </Field>
      <div className="flex items-end">
        <Button type="submit" variant="primary" disabled={enter.isPending || !form.password} data-testid="cred-enter">
          {t("enter")}
        </Button>
      </div>
      <div className="md:col-span-4">
        <ErrorNote error={enter.error} />
      </div>
    </form>
  );
}

/**
 * A service's logins: who may connect as whom, the redis-cli line, "Reveal password" (the
 * application's to its product line, all to DBAs) and, for DBAs, a rotation.
 */
export function CredentialsCard({
  service,
  canWrite,
}: {
  service: { id: number; name: string; kind: string; adopted: boolean; isDemo: boolean; entryHost: string | null; entryPort: number | null };
  canWrite: boolean;
}) {
  const t = useTranslations("credentials");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const status = useQuery(trpc.credentials.status.queryOptions({ serviceId: service.id }));
  const rotate = useMutation(
    trpc.credentials.rotate.mutationOptions({
      onSuccess: () =>
        Promise.all([
          qc.invalidateQueries({ queryKey: trpc.operations.jobs.pathKey() }),
          qc.invalidateQueries({ queryKey: trpc.credentials.status.pathKey() }),
        ]),
    }),
  );
  if (MEMCACHED_KINDS.has(service.kind))
    return (
      <Card title={t("title")} className="mb-4">
        <MemcachedNoAuthNote />
      </Card>
    );
  const rows = status.data ?? [];
  const app = rows.find((r) => r.kind === "APP");
  return (
    <Card
      title={t("title")}
      className="mb-4"
      actions={
        canWrite && app && !service.adopted && !service.isDemo ? (
          <Button
            disabled={rotate.isPending || app.rotating}
            onClick={() => window.confirm(t("confirmRotate", { service: service.name })) && rotate.mutate({ serviceId: service.id, graceSec: 300 })}
            data-testid="cred-rotate"
          >
            {t("rotate")}
          </Button>
        ) : null
      }
    >
      <div data-testid="credentials-card">
        {status.error ? <ErrorNote error={status.error} /> : null}
        {rotate.error ? <ErrorNote error={rotate.error} /> : null}
        {status.data && rows.length === 0 ? <p className="text-sm text-slate-500">{service.adopted ? t("noneAdopted") : t("none")}</p> : null}
        {app && service.entryHost && service.entryPort ? (
          <div className="mb-3 space-y-1">
            <div className="text-xs text-slate-600">{t("connect")}</div>
            <code
              className="block overflow-x-auto whitespace-nowrap rounded-md bg-slate-900 px-3 py-2 font-mono text-sm text-emerald-300"
              data-testid="cred-command"
            >
              {redisCliLine(service.entryHost, service.entryPort, app.username)}
            </code>
          </div>
        ) : null}
        {rows.length ? (
          <table className="min-w-full text-sm">
            <thead className="text-left text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1 pr-4">{t("kindLabel")}</th>
                <th className="py-1 pr-4">{t("user")}</th>
                <th className="py-1 pr-4">{t("rotatedAt")}</th>
                <th className="py-1 pr-4">{t("password")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.kind} data-testid={`cred-row-${r.kind}`}>
                  <td className="py-1.5 pr-4">{t(`kinds.${r.kind}`)}</td>
                  <td className="py-1.5 pr-4 font-mono text-xs">{r.username}</td>
                  <td className="py-1.5 pr-4 text-xs text-slate-600">
                    {r.rotating ? (
                      <Badge tone="amber">{t("rotating")}</Badge>
                    ) : (
                      format.dateTime(r.rotatedAt ?? r.createdAt, { dateStyle: "medium", timeStyle: "short" })
                    )}
                  </td>
                  <td className="py-1.5 pr-4">
                    <Reveal serviceId={service.id} kind={r.kind} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {rows.length ? <p className="mt-2 text-xs text-slate-500">{t("audited")}</p> : null}
        {canWrite && service.adopted ? <EnterLogin serviceId={service.id} /> : null}
      </div>
    </Card>
  );
}
