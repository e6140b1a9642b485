"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { clsx } from "clsx";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, PageHeader, Stat } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Input } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { DiffView, FileView } from "./diff-view";
import { SyncLog } from "./run-log";
import { BackendBadge, SimpleTable, td } from "./status";
import { LbDaemons } from "./lb-daemons";

/** `stamp` moves when a change is recorded or a version goes live: the preview is rendered again then. */
function Preview({ poolId, canWrite, onApplied, stamp }: { poolId: number; canWrite: boolean; onApplied: () => void; stamp: string }) {
  const t = useTranslations("libra.preview");
  const trpc = useTRPC();
  const preview = useQuery(trpc.libra.preview.queryOptions({ poolId }));
  const { refetch } = preview;
  useEffect(() => void refetch(), [stamp, refetch]);
  const [tab, setTab] = useState<"diff" | "file">("diff");
  const apply = useMutation(trpc.libra.applyNow.mutationOptions({ onSuccess: onApplied }));
  const p = preview.data;
  return (
    <Card
      title={
        <span className="inline-flex items-center gap-2">
          {t("title")}
          {p ? <Badge tone={p.validation.ok ? "green" : "red"}>{p.validation.ok ? t("valid") : t("invalid")}</Badge> : null}
          {p ? <span className="text-xs font-normal text-slate-500">{t("counts", { added: p.diff.added, removed: p.diff.removed })}</span> : null}
        </span>
      }
      actions={
        <>
          <Button variant={tab === "diff" ? "primary" : "ghost"} onClick={() => setTab("diff")} data-testid="libra-tab-diff">
            {t("diff")}
          </Button>
          <Button variant={tab === "file" ? "primary" : "ghost"} onClick={() => setTab("file")} data-testid="libra-tab-file">
            {t("file")}
          </Button>
          <Button onClick={() => void preview.refetch()}>{t("refresh")}</Button>
          {canWrite ? (
            <Button
              variant="primary"
              disabled={apply.isPending || (p ? !p.validation.ok : true)}
              onClick={() => apply.mutate({ poolId })}
              data-testid="libra-apply"
            >
              {t("apply")}
            </Button>
          ) : null}
        </>
      }
    >
      <p className="mb-2 text-sm text-slate-600">{p ? t("hint", { server: p.server, live: p.live ? `v${p.live.number}` : t("nothingLive") }) : t("loading")}</p>
      {p?.drift ? (
        <p className="mb-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="libra-drift">
          {t("drift", { server: p.server, live: `v${p.live?.number}` })}
        </p>
      ) : null}
      {p && !p.validation.ok ? (
        <pre className="mb-2 whitespace-pre-wrap rounded-md bg-rose-50 px-3 py-2 text-xs text-rose-800 ring-1 ring-rose-200" data-testid="libra-validation">
          {p.validation.command}
          {"\n"}
          {p.validation.output}
        </pre>
      ) : null}
      {apply.isSuccess ? (
        <p className="mb-2 text-sm text-emerald-700" role="status" data-testid="libra-apply-queued">
          {t("queued")}
        </p>
      ) : null}
      <ErrorNote error={apply.error} />
      {p ? tab === "diff" ? <DiffView patch={p.diff.patch} empty={t("noDiff")} testId="libra-diff" /> : <FileView text={p.text} testId="libra-file" /> : null}
    </Card>
  );
}

function Versions({ poolId, canWrite, onRolledBack }: { poolId: number; canWrite: boolean; onRolledBack: () => void }) {
  const t = useTranslations("libra.versions");
  const format = useFormatter();
  const trpc = useTRPC();
  const versions = useQuery({ ...trpc.libra.versions.queryOptions({ poolId }), refetchInterval: 3000 });
  const [picked, setPicked] = useState<number[]>([]);
  const [from, to] = [...picked].sort((a, b) => a - b);
  const diff = useQuery({ ...trpc.libra.diff.queryOptions({ poolId, from: from ?? 1, to: to ?? 1 }), enabled: picked.length === 2 });
  const [confirm, setConfirm] = useState<number | null>(null);
  const rollback = useMutation(trpc.libra.rollback.mutationOptions({ onSuccess: () => (setConfirm(null), onRolledBack()) }));
  const toggle = (n: number) => setPicked((p) => (p.includes(n) ? p.filter((x) => x !== n) : [...p, n].slice(-2)));
  const live = versions.data?.[0]?.number;
  return (
    <Card title={t("title")}>
      <p className="mb-2 text-sm text-slate-600">{t("hint")}</p>
      <ErrorNote error={rollback.error} />
      <SimpleTable head={[t("pick"), t("number"), t("reason"), t("by"), t("when"), t("changes"), ""]} testId="libra-versions">
        {(versions.data ?? []).map((v) => (
          <tr key={v.id} data-testid={`libra-version-${v.number}`}>
            <td className={td}>
              <input
                type="checkbox"
                checked={picked.includes(v.number)}
                onChange={() => toggle(v.number)}
                aria-label={t("pickOne", { n: v.number })}
                data-testid={`libra-pick-${v.number}`}
              />
            </td>
            <td className={clsx(td, "font-medium tabular-nums")}>
              v{v.number} {v.number === live ? <Badge tone="green">{t("live")}</Badge> : null}
            </td>
            <td className={td}>{v.reason === "ROLLBACK" ? t("rollbackOf", { n: v.restoredFrom ?? 0 }) : t(`reasons.${v.reason}`)}</td>
            <td className={td}>{v.actorName}</td>
            <td className={clsx(td, "whitespace-nowrap tabular-nums")}>{format.dateTime(v.createdAt, { dateStyle: "short", timeStyle: "medium" })}</td>
            <td className={clsx(td, "tabular-nums")}>{v._count.changes}</td>
            <td className={clsx(td, "text-right")}>
              {canWrite && v.number !== live ? (
                confirm === v.number ? (
                  <span className="inline-flex gap-1">
                    <Button
                      variant="danger"
                      disabled={rollback.isPending}
                      onClick={() => rollback.mutate({ poolId, number: v.number })}
                      data-testid={`libra-rollback-confirm-${v.number}`}
                    >
                      {t("confirm", { n: v.number })}
                    </Button>
                    <Button variant="ghost" onClick={() => setConfirm(null)}>
                      {t("cancel")}
                    </Button>
                  </span>
                ) : (
                  <Button onClick={() => setConfirm(v.number)} data-testid={`libra-rollback-${v.number}`}>
                    {t("rollback")}
                  </Button>
                )
              ) : null}
            </td>
          </tr>
        ))}
      </SimpleTable>
      {picked.length === 2 ? (
        <div className="mt-3">
          <h3 className="mb-1 text-sm font-medium text-slate-700">{t("diffTitle", { from: from!, to: to! })}</h3>
          {diff.data ? <DiffView patch={diff.data.patch} empty={t("same")} testId="libra-version-diff" /> : null}
        </div>
      ) : (
        <p className="mt-2 text-xs text-slate-500">{t("pickTwo")}</p>
      )}
    </Card>
  );
}

/** The addresses the pool's VIPs may take; without them the pool takes no application. */
function VipRange({ poolId, vipRange, canWrite }: { poolId: number; vipRange: string | null; canWrite: boolean }) {
  const t = useTranslations("libra.pool");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation(
    trpc.libra.setPoolVipRange.mutationOptions({
      onSuccess: () => (setDraft(null), void qc.invalidateQueries({ queryKey: trpc.libra.pool.queryKey({ poolId }) })),
    }),
  );
  const outside = save.data?.outside ?? [];
  return (
    <div
      className={clsx("rounded-lg px-4 py-3 text-sm ring-1", vipRange ? "bg-white ring-slate-200" : "bg-amber-50 text-amber-900 ring-amber-200")}
      data-testid="libra-vip-range"
    >
      <div className="flex flex-wrap items-center gap-3">
        <span className="font-medium">{t("vipRange")}</span>
        {draft === null ? (
          <>
            {vipRange ? <span className="font-mono text-xs">{vipRange}</span> : <span>{t("noVipRange")}</span>}
            {canWrite ? (
              <Button onClick={() => setDraft(vipRange ?? "")} data-testid="libra-vip-range-edit">
                {t("editVipRange")}
              </Button>
            ) : null}
          </>
        ) : (
          <>
            <Input
              className="w-80 font-mono text-xs"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              placeholder="127.0.2.10-127.0.2.250"
              aria-label={t("vipRange")}
              data-testid="libra-vip-range-input"
            />
            <Button variant="primary" disabled={save.isPending} onClick={() => save.mutate({ poolId, vipRange: draft })} data-testid="libra-vip-range-save">
              {t("saveVipRange")}
            </Button>
            <span className="text-xs text-slate-500">{t("vipRangeHint")}</span>
          </>
        )}
      </div>
      {outside.length ? (
        <p className="mt-1 text-xs text-amber-800">{t("outsideRange", { vips: outside.map((o) => `${o.application} ${o.ip}`).join(", ") })}</p>
      ) : null}
      <ErrorNote error={save.error} />
    </div>
  );
}

export function PoolView({ poolId, canWrite }: { poolId: number; canWrite: boolean }) {
  const t = useTranslations("libra.pool");
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const pool = useQuery({ ...trpc.libra.pool.queryOptions({ poolId }), refetchInterval: 3000 });
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.libra.pathKey() });
  const p = pool.data;
  if (!p) return <ErrorNote error={pool.error} />;
  return (
    <div className="space-y-4">
      <PageHeader
        title={t("title", { name: p.name })}
        subtitle={p.description}
        actions={
          <>
            <BackendBadge backend={p.backend} />
            {canWrite ? (
              <Link
                href={`/libra/new?pool=${p.id}`}
                className="inline-flex items-center gap-1.5 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500"
                data-testid="libra-pool-new-app"
              >
                + {t("newApp")}
              </Link>
            ) : null}
          </>
        }
      />
      <div className="grid gap-3 sm:grid-cols-4">
        <Stat label={t("servers")} value={<span className="text-base">{p.servers.map((s) => s.ip).join(", ")}</span>} />
        <Stat label={t("applications")} value={p.applications.length} />
        <Stat label={t("pending")} value={<span data-testid="libra-pending-count">{p.pending.length}</span>} tone={p.pending.length ? "amber" : "green"} />
        <Stat
          label={t("lastSync")}
          value={<span className="text-base">{p.lastSyncedAt ? format.dateTime(p.lastSyncedAt, { timeStyle: "medium" }) : "—"}</span>}
        />
      </div>
      <VipRange poolId={poolId} vipRange={p.vipRange} canWrite={canWrite} />
      <LbDaemons poolId={poolId} servers={p.servers} />
      <Card title={t("appsTitle")}>
        <SimpleTable head={[t("app"), t("vip"), t("members"), t("health"), t("balance"), t("service")]} testId="libra-apps">
          {p.applications.map((a) => (
            <tr key={a.id}>
              <td className={td}>
                <Link href={`/libra/apps/${a.id}`} className="font-medium text-indigo-700 hover:underline">
                  {a.name}
                </Link>
              </td>
              <td className={clsx(td, "font-mono text-xs")}>
                {a.vip ? `${a.vip.ip}:${a.vip.port}/${a.vip.protocol.toLowerCase()}` : <Badge tone="amber">{t("noVip")}</Badge>}
              </td>
              <td className={td}>
                <span className="tabular-nums">{t("memberCounts", a.members)}</span>
              </td>
              <td className={td}>{a.healthCheck.name}</td>
              <td className={td}>{a.balanceConfig.name}</td>
              <td className={td}>
                {a.service ? (
                  <Link className="text-indigo-700 hover:underline" href={`/inventory/services/${a.service.id}`}>
                    {a.service.name}
                  </Link>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </SimpleTable>
        {p.applications.length === 0 ? <p className="py-2 text-sm text-slate-500">{t("noApps")}</p> : null}
      </Card>
      <Card title={t("pendingTitle")}>
        {p.pending.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="libra-pending">
            {t("noPending")}
          </p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="libra-pending">
            {p.pending.map((c) => (
              <li key={c.id} className="flex gap-2">
                <span className="whitespace-nowrap tabular-nums text-slate-500">{format.dateTime(c.at, { timeStyle: "medium" })}</span>
                <span>{c.summary}</span>
                <span className="text-slate-500">— {c.actorName}</span>
                {c.emergency ? <Badge tone="amber">{t("alreadyLive")}</Badge> : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Preview poolId={poolId} canWrite={canWrite} onApplied={refresh} stamp={`${p.pending.map((c) => c.id).join(",")}|${String(p.lastSyncedAt)}`} />
      <Versions poolId={poolId} canWrite={canWrite} onRolledBack={refresh} />
      <SyncLog poolId={poolId} live />
    </div>
  );
}
