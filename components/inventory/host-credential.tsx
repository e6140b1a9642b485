"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Textarea } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";

/**
 * How Hedwig logs in to this host over SSH. The secret goes to the server once and is sealed there;
 * this card only ever shows the user, port, method and pinned host key.
 */
export function HostCredentialCard({ hostId, ip }: { hostId: number; ip: string }) {
  const t = useTranslations("hosts.credential");
  const tc = useTranslations("common");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const status = useQuery(trpc.hosts.credential.queryOptions({ id: hostId }));
  const [editing, setEditing] = useState(false);
  const [method, setMethod] = useState<"KEY" | "PASSWORD">("KEY");
  const [form, setForm] = useState({ username: "root", sshPort: "22", privateKey: "", passphrase: "", password: "" });
  const [resetHostKey, setResetHostKey] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.hosts.credential.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.hosts.get.pathKey() });
  };
  const save = useMutation(
    trpc.hosts.setCredential.mutationOptions({
      onSuccess: () => (refresh(), setEditing(false), setResetHostKey(false), setForm((f) => ({ ...f, privateKey: "", passphrase: "", password: "" }))),
    }),
  );
  const clear = useMutation(trpc.hosts.clearCredential.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(trpc.hosts.testCredential.mutationOptions({ onSuccess: refresh }));
  const { err, any } = fieldErrors(save.error);
  const c = status.data;
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setForm({ ...form, [k]: e.target.value });
  const submit = () =>
    save.mutate({
      hostId,
      username: form.username,
      sshPort: Number(form.sshPort),
      resetHostKey,
      ...(method === "KEY" ? { method, privateKey: form.privateKey, passphrase: form.passphrase || undefined } : { method, password: form.password }),
    });
  return (
    <Card title={t("title")} className="mt-4">
      <div className="space-y-3 text-sm" data-testid="host-credential">
        {c ? (
          <dl className="grid grid-cols-[10rem_1fr] gap-y-1.5">
            <dt className="text-slate-500">{t("login")}</dt>
            <dd className="font-mono" data-testid="credential-login">
              {c.username}@{ip}:{c.sshPort}
            </dd>
            <dt className="text-slate-500">{t("method")}</dt>
            <dd>
              {t(`methods.${c.method}`)} <span className="text-xs text-slate-500">{t("sealed")}</span>
            </dd>
            <dt className="text-slate-500">{t("hostKey")}</dt>
            <dd className="font-mono text-xs" data-testid="credential-hostkey">
              {c.hostKeyFingerprint ?? t("notPinned")}
            </dd>
            <dt className="text-slate-500">{t("updated")}</dt>
            <dd>{format.dateTime(c.updatedAt, { dateStyle: "medium", timeStyle: "short" })}</dd>
          </dl>
        ) : (
          <p className="text-slate-600" data-testid="credential-none">
            {t("none")}
          </p>
        )}
        {test.data ? (
          <pre
            className={`whitespace-pre-wrap rounded-md p-2 font-mono text-xs ring-1 ${test.data.ok ? "bg-emerald-50 text-emerald-900 ring-emerald-200" : "bg-rose-50 text-rose-900 ring-rose-200"}`}
            data-testid="credential-test-result"
          >
            {test.data.ok ? `✓ ${t("loggedIn", { ms: test.data.ms })}\n` : "✗ "}
            {test.data.output}
          </pre>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <Button onClick={() => setEditing(!editing)} data-testid="credential-edit">
            {c ? t("replace") : t("set")}
          </Button>
          {c ? (
            <Button disabled={test.isPending} onClick={() => test.mutate({ id: hostId })} data-testid="credential-test">
              {test.isPending ? t("testing") : t("test")}
            </Button>
          ) : null}
          {c ? (
            <Button
              variant="ghost"
              className="text-rose-700"
              disabled={clear.isPending}
              onClick={() => window.confirm(t("confirmClear")) && clear.mutate({ id: hostId })}
              data-testid="credential-clear"
            >
              {t("clear")}
            </Button>
          ) : null}
        </div>
        <ErrorNote error={clear.error ?? test.error} />
        {editing ? (
          <div className="space-y-3 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200">
            <p className="text-xs text-slate-600">{t("explain")}</p>
            <div className="flex flex-wrap gap-3">
              <Field label={t("username")} error={err("username")}>
                <Input className="w-40" value={form.username} onChange={set("username")} data-testid="credential-username" />
              </Field>
              <Field label={t("port")} error={err("sshPort")}>
                <Input className="w-24" type="number" value={form.sshPort} onChange={set("sshPort")} data-testid="credential-port" />
              </Field>
              <Field label={t("method")}>
                <select
                  className="rounded-md border border-slate-300 px-2 py-1.5 text-sm"
                  value={method}
                  onChange={(e) => setMethod(e.target.value as "KEY" | "PASSWORD")}
                  data-testid="credential-method"
                >
                  <option value="KEY">{t("methods.KEY")}</option>
                  <option value="PASSWORD">{t("methods.PASSWORD")}</option>
                </select>
              </Field>
            </div>
            {method === "KEY" ? (
              <>
                <Field label={t("privateKey")} error={err("privateKey")}>
                  <Textarea
                    rows={5}
                    autoComplete="off"
                    spellCheck={false}
                    value={form.privateKey}
                    onChange={set("privateKey")}
                    placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
                    data-testid="credential-key"
                  />
                </Field>
                <Field label={t("passphrase")} error={err("passphrase")}>
                  <Input type="password" autoComplete="off" className="w-64" value={form.passphrase} onChange={set("passphrase")} />
                </Field>
              </>
            ) : (
              <Field label={t("password")} error={err("password")}>
                <Input type="password" autoComplete="off" className="w-64" value={form.password} onChange={set("password")} data-testid="credential-password" />
              </Field>
            )}
            {c?.hostKeyFingerprint ? (
              <label className="flex items-start gap-2 rounded-md bg-amber-50 p-2 ring-1 ring-amber-200" data-testid="credential-reset-hostkey">
                <input type="checkbox" className="mt-0.5" checked={resetHostKey} onChange={(e) => setResetHostKey(e.target.checked)} />
                <span>
                  <span className="font-medium text-amber-900">{t("resetHostKey", { fingerprint: c.hostKeyFingerprint })}</span>
                  <span className="block text-xs text-amber-800">{t("resetHostKeyHint")}</span>
                </span>
              </label>
            ) : null}
            {any ? null : <ErrorNote error={save.error} />}
            <div className="flex gap-2">
              <Button variant="primary" disabled={save.isPending} onClick={submit} data-testid="credential-save">
                {t("save")}
              </Button>
              <Button onClick={() => setEditing(false)}>{tc("cancel")}</Button>
            </div>
          </div>
        ) : null}
      </div>
    </Card>
  );
}
