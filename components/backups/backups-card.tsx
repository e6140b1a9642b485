"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Input } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";

const TONE: Record<string, Tone> = { RUNNING: "blue", SUCCEEDED: "green", FAILED: "red", EXPIRED: "slate" };

/** An in-place restore: what is lost first (keys now against the backup's), then the service's name typed to confirm. */
function RestoreInPlace({ backupId, service, onDone }: { backupId: number; service: string; onDone: () => void }) {
  const t = useTranslations("backupsUi");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const format = useFormatter();
  const preview = useQuery(trpc.backups.preview.queryOptions({ backupId }));
  const [typed, setTyped] = useState("");
  const restore = useMutation(
    trpc.backups.restore.mutationOptions({
      onSuccess: () => {
        onDone();
        return Promise.all([
          qc.invalidateQueries({ queryKey: trpc.backups.list.pathKey() }),
          qc.invalidateQueries({ queryKey: trpc.operations.jobs.pathKey() }),
        ]);
      },
    }),
  );
  const p = preview.data;
  return (
    <div className="mt-2 rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200" data-testid="restore-confirm">
      {p ? (
        <p className="mb-2 text-amber-900" data-testid="restore-loss">
          {t("loss", {
            service: p.service,
            takenAt: format.dateTime(new Date(p.takenAt), { dateStyle: "medium", timeStyle: "short" }),
            keysNow: p.keysNow ?? "?",
            keysInBackup: p.keysInBackup,
          })}
        </p>
      ) : preview.error ? (
        <ErrorNote error={preview.error} />
      ) : (
        <p className="mb-2 text-slate-500">…</p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Input
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          placeholder={service}
          aria-label={t("typeName", { service })}
          data-testid="restore-name"
        />
        <Button
          variant="primary"
          disabled={typed !== service || restore.isPending}
          onClick={() => restore.mutate({ backupId, confirm: typed })}
          data-testid="restore-submit"
        >
          {t("restoreInPlace")}
        </Button>
        <Button onClick={onDone}>{t("cancel")}</Button>
      </div>
      {restore.error ? <ErrorNote error={restore.error} /> : null}
    </div>
  );
}

/**
 * Into another live Redis service (one a DBA had delivered for it: the link asks for one, prefilled
 * from the backup's service and size). Its current data is replaced.
 */
function RestoreElsewhere({
  backupId,
  from,
  bytes,
  onDone,
}: {
  backupId: number;
  from: { name: string; kind: string; productLineId: number };
  bytes: number;
  onDone: () => void;
}) {
  const t = useTranslations("backupsUi");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [target, setTarget] = useState("");
  const restore = useMutation(
    trpc.backups.restore.mutationOptions({
      onSuccess: () => {
        onDone();
        return qc.invalidateQueries({ queryKey: trpc.operations.jobs.pathKey() });
      },
    }),
  );
  const ask = new URLSearchParams({
    productLineId: String(from.productLineId),
    kind: from.kind,
    // room for the data and for its growth
    capacityGb: String(Math.max(1, Math.ceil((2 * bytes) / 1e9))),
    purpose: t("purpose", { backup: backupId, service: from.name }),
  });
  return (
    <div className="mt-2 rounded-md bg-slate-50 p-3 text-sm ring-1 ring-slate-200" data-testid="restore-elsewhere">
      <p className="mb-2">
        <a className="text-blue-700 underline" href={`/requests/new?${ask.toString()}`} data-testid="restore-request-link">
          {t("requestNew")}
        </a>
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <Input
          className="w-32"
          inputMode="numeric"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          aria-label={t("targetId")}
          placeholder={t("targetId")}
          data-testid="restore-target"
        />
        <Button
          variant="primary"
          disabled={!/^\d+$/.test(target) || restore.isPending}
          onClick={() => restore.mutate({ backupId, targetServiceId: Number(target) })}
          data-testid="restore-target-submit"
        >
          {t("restoreInto")}
        </Button>
      </div>
      {restore.error ? <ErrorNote error={restore.error} /> : null}
    </div>
  );
}

/** The service page's backups: schedule, retention, every backup with its size and age; DBAs back up and restore. */
export function BackupsCard({ serviceId, canWrite }: { serviceId: number; canWrite: boolean }) {
  const t = useTranslations("backupsUi");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const format = useFormatter();
  const list = useQuery({
    ...trpc.backups.list.queryOptions({ serviceId }),
    refetchInterval: (q) => (q.state.data?.backups.some((b) => b.status === "RUNNING") ? 2000 : 30_000),
  });
  const [restoring, setRestoring] = useState<{ id: number; where: "here" | "elsewhere" } | null>(null);
  const [hours, setHours] = useState("");
  const refresh = () =>
    Promise.all([qc.invalidateQueries({ queryKey: trpc.backups.list.pathKey() }), qc.invalidateQueries({ queryKey: trpc.operations.jobs.pathKey() })]);
  const backup = useMutation(trpc.backups.create.mutationOptions({ onSuccess: refresh }));
  const schedule = useMutation(trpc.backups.setSchedule.mutationOptions({ onSuccess: () => (setHours(""), refresh()) }));
  const d = list.data;
  if (!d || !d.backupable) return list.error ? <ErrorNote error={list.error} /> : null;
  return (
    <Card
      title={t("title")}
      className="my-4"
      actions={
        canWrite ? (
          <Button variant="primary" disabled={backup.isPending} onClick={() => backup.mutate({ serviceId })} data-testid="backup-now">
            {t("backupNow")}
          </Button>
        ) : null
      }
    >
      <p className="mb-3 text-sm text-slate-600" data-testid="backup-schedule">
        {d.everyHours > 0 ? t("schedule", { hours: d.everyHours, own: String(d.ownSchedule) }) : t("noSchedule")} · {t("retention", { days: d.retentionDays })}
      </p>
      {canWrite ? (
        <div className="mb-3 flex flex-wrap items-center gap-2 text-sm">
          <Input
            className="w-24"
            inputMode="numeric"
            value={hours}
            onChange={(e) => setHours(e.target.value)}
            placeholder={String(d.everyHours)}
            aria-label={t("everyHours")}
            data-testid="backup-hours"
          />
          <Button disabled={hours.trim() === "" || schedule.isPending} onClick={() => schedule.mutate({ serviceId, everyHours: Number(hours) })}>
            {t("setSchedule")}
          </Button>
          {d.ownSchedule ? <Button onClick={() => schedule.mutate({ serviceId, everyHours: null })}>{t("defaultSchedule")}</Button> : null}
        </div>
      ) : null}
      {backup.error ? <ErrorNote error={backup.error} /> : null}
      {schedule.error ? <ErrorNote error={schedule.error} /> : null}
      {d.backups.length === 0 ? (
        <p className="text-sm text-slate-500">{t("none")}</p>
      ) : (
        <table className="w-full text-sm" data-testid="backups-table">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1">#</th>
              <th>{t("taken")}</th>
              <th>{t("status")}</th>
              <th className="text-right">{t("size")}</th>
              <th className="text-right">{t("keys")}</th>
              <th>{t("by")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {d.backups.map((b) => (
              <tr key={b.id} className="border-t border-slate-100 align-top" data-testid="backup-row" data-status={b.status}>
                <td className="py-1.5 font-mono">{b.id}</td>
                <td title={format.dateTime(new Date(b.createdAt), { dateStyle: "medium", timeStyle: "medium" })}>
                  {format.relativeTime(new Date(b.createdAt))}
                </td>
                <td>
                  <Badge tone={TONE[b.status] ?? "slate"}>{t(`statuses.${b.status}`)}</Badge>
                  {b.error ? <p className="mt-1 max-w-md text-xs text-red-700">{b.error}</p> : null}
                </td>
                <td className="text-right tabular-nums">{b.bytes ? format.number(b.bytes / 1e6, { maximumFractionDigits: 1 }) + " MB" : "—"}</td>
                <td className="text-right tabular-nums">
                  {b.shards.some((s) => s.keys !== null) ? format.number(b.shards.reduce((a, s) => a + (s.keys ?? 0), 0)) : "—"}
                </td>
                <td>{b.automatic ? t("automatic") : t("manual")}</td>
                <td className="text-right">
                  {canWrite && b.status === "SUCCEEDED" ? (
                    <span className="inline-flex gap-1">
                      <Button onClick={() => setRestoring({ id: b.id, where: "here" })} data-testid={`restore-${b.id}`}>
                        {t("restore")}
                      </Button>
                      <Button onClick={() => setRestoring({ id: b.id, where: "elsewhere" })} data-testid={`restore-elsewhere-${b.id}`}>
                        {t("restoreElsewhere")}
                      </Button>
                    </span>
                  ) : null}
                  {restoring?.id === b.id && restoring.where === "here" ? (
                    <RestoreInPlace backupId={b.id} service={d.service.name} onDone={() => setRestoring(null)} />
                  ) : null}
                  {restoring?.id === b.id && restoring.where === "elsewhere" ? (
                    <RestoreElsewhere backupId={b.id} from={d.service} bytes={b.bytes} onDone={() => setRestoring(null)} />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
