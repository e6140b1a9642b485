"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { BackendBadge, MemberState, SimpleTable, td } from "./status";
import { useCheckSummary } from "./templates";

type State = "ENABLED" | "DRAINING" | "DISABLED";

function VipForm({
  appId,
  vip,
  canWrite,
  onDone,
}: {
  appId: number;
  vip: { ip: string; port: number; protocol: "TCP" | "UDP" } | null;
  canWrite: boolean;
  onDone: () => void;
}) {
  const t = useTranslations("libra.app");
  const trpc = useTRPC();
  const [f, setF] = useState(vip ?? { ip: "", port: 22121, protocol: "TCP" as const });
  const save = useMutation(trpc.libra.setVip.mutationOptions({ onSuccess: onDone }));
  return (
    <div className="space-y-2">
      <div className="grid grid-cols-[2fr_1fr_1fr_auto] items-end gap-2">
        <Field label={t("vipIp")}>
          <Input value={f.ip} disabled={!canWrite} onChange={(e) => setF({ ...f, ip: e.target.value })} data-testid="libra-app-vip-ip" />
        </Field>
        <Field label={t("vipPort")}>
          <Input type="number" value={f.port} disabled={!canWrite} onChange={(e) => setF({ ...f, port: Number(e.target.value) })} />
        </Field>
        <Field label={t("protocol")}>
          <Select value={f.protocol} disabled={!canWrite} onChange={(e) => setF({ ...f, protocol: e.target.value as "TCP" | "UDP" })}>
            <option value="TCP">TCP</option>
            <option value="UDP">UDP</option>
          </Select>
        </Field>
        {canWrite ? (
          <Button variant="primary" disabled={save.isPending} onClick={() => save.mutate({ appId, vip: f })}>
            {t("save")}
          </Button>
        ) : null}
      </div>
      <ErrorNote error={save.error} />
    </div>
  );
}

function TemplatesForm({
  appId,
  healthCheckId,
  balanceConfigId,
  canWrite,
  onDone,
}: {
  appId: number;
  healthCheckId: number;
  balanceConfigId: number;
  canWrite: boolean;
  onDone: () => void;
}) {
  const t = useTranslations("libra.app");
  const trpc = useTRPC();
  const templates = useQuery(trpc.libra.templates.queryOptions()).data;
  const summary = useCheckSummary();
  const [f, setF] = useState({ healthCheckId, balanceConfigId });
  const save = useMutation(trpc.libra.setTemplates.mutationOptions({ onSuccess: onDone }));
  const health = templates?.healthChecks.find((h) => h.id === f.healthCheckId);
  return (
    <div className="space-y-2">
      <div className="grid grid-cols-[1fr_1fr_auto] items-end gap-2">
        <Field label={t("health")}>
          <Select value={f.healthCheckId} disabled={!canWrite} onChange={(e) => setF({ ...f, healthCheckId: Number(e.target.value) })}>
            {(templates?.healthChecks ?? []).map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("balance")}>
          <Select
            value={f.balanceConfigId}
            disabled={!canWrite}
            onChange={(e) => setF({ ...f, balanceConfigId: Number(e.target.value) })}
            data-testid="libra-app-balance"
          >
            {(templates?.balanceConfigs ?? []).map((b) => (
              <option key={b.id} value={b.id}>
                {b.name} ({b.algorithm}
                {b.lvsKind ? ` · ${b.lvsKind}` : ""})
              </option>
            ))}
          </Select>
        </Field>
        {canWrite ? (
          <Button variant="primary" disabled={save.isPending} onClick={() => save.mutate({ appId, ...f })} data-testid="libra-app-templates-save">
            {t("save")}
          </Button>
        ) : null}
      </div>
      {health ? <p className="text-xs text-slate-500">{summary(health)}</p> : null}
      <ErrorNote error={save.error} />
    </div>
  );
}

type Member = { id: number; ip: string; port: number; weight: number; state: State };

type Live = { server: string; status: string; weight: number; sessions: number };
const LIVE_TONE: Record<string, "green" | "red" | "amber" | "slate"> = { UP: "green", DOWN: "red", DRAIN: "amber", MAINT: "slate" };

/** How each load balancer sees the member now: its check status and open sessions. */
function LiveCell({ live }: { live: Live[] | undefined }) {
  const t = useTranslations("libra.app");
  if (!live?.length) return <span className="text-xs text-slate-400">—</span>;
  return (
    <div className="space-y-0.5">
      {live.map((l) => (
        <div key={l.server} className="flex items-center gap-1.5 whitespace-nowrap text-xs" title={l.server}>
          <Badge tone={LIVE_TONE[l.status.split(" ")[0]!] ?? "slate"}>{l.status}</Badge>
          <span className="tabular-nums text-slate-600">{t("liveDetail", { sessions: l.sessions, weight: l.weight })}</span>
        </div>
      ))}
    </div>
  );
}

function MemberRow({ m, live, canWrite, onDone }: { m: Member; live: Live[] | undefined; canWrite: boolean; onDone: (note?: string) => void }) {
  const t = useTranslations("libra.app");
  const trpc = useTRPC();
  const [weight, setWeight] = useState(m.weight);
  const update = useMutation(trpc.libra.updateMember.mutationOptions({ onSuccess: () => onDone(t("savedForSync")) }));
  const now = useMutation(trpc.libra.emergency.mutationOptions({ onSuccess: (r) => onDone(r.ok ? t("appliedNow") : t("notAppliedNow")) }));
  const remove = useMutation(trpc.libra.removeMember.mutationOptions({ onSuccess: () => onDone(t("savedForSync")) }));
  const error = update.error ?? now.error ?? remove.error;
  const busy = update.isPending || now.isPending || remove.isPending;
  return (
    <tr data-testid={`libra-member-${m.ip}:${m.port}`} data-state={m.state}>
      <td className={`${td} font-mono text-xs`}>
        {m.ip}:{m.port}
      </td>
      <td className={td}>
        <MemberState state={m.state} />
      </td>
      <td className={td} data-testid={`libra-live-${m.ip}:${m.port}`}>
        <LiveCell live={live} />
      </td>
      <td className={td}>
        <Input
          type="number"
          className="w-20"
          value={weight}
          disabled={!canWrite}
          onChange={(e) => setWeight(Number(e.target.value))}
          aria-label={t("weight")}
        />
      </td>
      <td className={td}>
        {canWrite ? (
          <div className="flex flex-wrap gap-1">
            <Button disabled={busy || weight === m.weight} onClick={() => update.mutate({ memberId: m.id, weight })}>
              {t("saveWeight")}
            </Button>
            <Button disabled={busy || weight === m.weight} onClick={() => now.mutate({ memberId: m.id, weight })}>
              {t("weightNow")}
            </Button>
            {m.state !== "DRAINING" ? (
              <Button
                variant="secondary"
                disabled={busy}
                onClick={() => now.mutate({ memberId: m.id, state: "DRAINING" })}
                data-testid={`libra-drain-${m.ip}:${m.port}`}
              >
                {t("drainNow")}
              </Button>
            ) : null}
            {m.state !== "DISABLED" ? (
              <Button variant="danger" disabled={busy} onClick={() => now.mutate({ memberId: m.id, state: "DISABLED" })}>
                {t("disableNow")}
              </Button>
            ) : null}
            {m.state !== "ENABLED" ? (
              <Button
                variant="primary"
                disabled={busy}
                onClick={() => now.mutate({ memberId: m.id, state: "ENABLED" })}
                data-testid={`libra-enable-${m.ip}:${m.port}`}
              >
                {t("enableNow")}
              </Button>
            ) : null}
            <Button variant="ghost" disabled={busy} onClick={() => remove.mutate({ memberId: m.id })}>
              {t("remove")}
            </Button>
          </div>
        ) : null}
        <ErrorNote error={error} />
      </td>
    </tr>
  );
}

function AddMember({ appId, onDone }: { appId: number; onDone: () => void }) {
  const t = useTranslations("libra.app");
  const trpc = useTRPC();
  const [f, setF] = useState({ ip: "", port: 22121, weight: 10, state: "ENABLED" as State });
  const add = useMutation(trpc.libra.addMember.mutationOptions({ onSuccess: () => (setF({ ...f, ip: "" }), onDone()) }));
  return (
    <div className="mt-3 space-y-2">
      <div className="grid grid-cols-[2fr_1fr_1fr_auto] items-end gap-2">
        <Field label={t("memberIp")}>
          <Input value={f.ip} onChange={(e) => setF({ ...f, ip: e.target.value })} placeholder="127.0.12.4" data-testid="libra-add-member-ip" />
        </Field>
        <Field label={t("memberPort")}>
          <Input type="number" value={f.port} onChange={(e) => setF({ ...f, port: Number(e.target.value) })} data-testid="libra-add-member-port" />
        </Field>
        <Field label={t("weight")}>
          <Input type="number" value={f.weight} onChange={(e) => setF({ ...f, weight: Number(e.target.value) })} data-testid="libra-add-member-weight" />
        </Field>
        <Button variant="primary" disabled={add.isPending} onClick={() => add.mutate({ appId, member: f })} data-testid="libra-add-member">
          {t("addMember")}
        </Button>
      </div>
      <ErrorNote error={add.error} />
    </div>
  );
}

function RemoveApplication({ appId, poolId }: { appId: number; poolId: number }) {
  const t = useTranslations("libra.app");
  const trpc = useTRPC();
  const router = useRouter();
  const [sure, setSure] = useState(false);
  const remove = useMutation(trpc.libra.removeApplication.mutationOptions({ onSuccess: () => router.push(`/libra/pools/${poolId}`) }));
  return (
    <div className="flex items-center gap-2">
      {sure ? (
        <>
          <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate({ appId })}>
            {t("removeAppConfirm")}
          </Button>
          <Button variant="ghost" onClick={() => setSure(false)}>
            {t("cancel")}
          </Button>
        </>
      ) : (
        <Button variant="ghost" onClick={() => setSure(true)}>
          {t("removeApp")}
        </Button>
      )}
      <ErrorNote error={remove.error} />
    </div>
  );
}

export function AppView({ appId, canWrite }: { appId: number; canWrite: boolean }) {
  const t = useTranslations("libra.app");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const app = useQuery({ ...trpc.libra.application.queryOptions({ appId }), refetchInterval: 3000 });
  const live = useQuery({ ...trpc.libra.liveMembers.queryOptions({ appId }), refetchInterval: 3000 }).data;
  const [note, setNote] = useState<string | null>(null);
  const refresh = (n?: string) => {
    setNote(n ?? t("savedForSync"));
    void qc.invalidateQueries({ queryKey: trpc.libra.pathKey() });
  };
  const a = app.data;
  if (!a) return <ErrorNote error={app.error} />;
  return (
    <div className="space-y-4">
      <PageHeader
        title={a.name}
        subtitle={t("subtitle", { pool: a.pool.name })}
        actions={
          <>
            <BackendBadge backend={a.pool.backend} />
            {a.pending ? <Badge tone="amber">{t("pending", { n: a.pending })}</Badge> : <Badge tone="green">{t("inSync")}</Badge>}
            <Link href={`/libra/pools/${a.poolId}`} className="text-sm font-medium text-indigo-700 hover:underline" data-testid="libra-app-pool">
              {t("toPool")}
            </Link>
            {canWrite ? <RemoveApplication appId={a.id} poolId={a.poolId} /> : null}
          </>
        }
      />
      {note ? (
        <p className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-800 ring-1 ring-sky-200" role="status" data-testid="libra-app-note">
          {note}
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t("vip")}>
          <VipForm key={a.vip ? `${a.vip.ip}:${a.vip.port}` : "none"} appId={a.id} vip={a.vip} canWrite={canWrite} onDone={() => refresh()} />
          {a.service ? (
            <p className="mt-2 text-sm text-slate-600">
              {t("service")}:{" "}
              <Link className="text-indigo-700 hover:underline" href={`/inventory/services/${a.service.id}`}>
                {a.service.name}
              </Link>
            </p>
          ) : null}
        </Card>
        <Card title={t("templates")}>
          <TemplatesForm
            key={`${a.healthCheckId}-${a.balanceConfigId}`}
            appId={a.id}
            healthCheckId={a.healthCheckId}
            balanceConfigId={a.balanceConfigId}
            canWrite={canWrite}
            onDone={() => refresh()}
          />
        </Card>
      </div>
      <Card title={t("members")}>
        <p className="mb-2 text-sm text-slate-600">{t("membersHint")}</p>
        <SimpleTable head={[t("member"), t("state"), t("live"), t("weight"), ""]} testId="libra-members">
          {a.members.map((m) => (
            <MemberRow key={`${m.id}-${m.weight}-${m.state}`} m={m} live={live?.members[m.id]} canWrite={canWrite} onDone={refresh} />
          ))}
        </SimpleTable>
        {live?.errors.length ? <p className="mt-2 text-xs text-rose-700">{live.errors.join("; ")}</p> : null}
        {canWrite ? <AddMember appId={a.id} onDone={() => refresh()} /> : null}
      </Card>
    </div>
  );
}
