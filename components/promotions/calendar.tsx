"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTimeZone, useTranslations } from "next-intl";
import { useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { PromotionKind } from "@/generated/prisma/enums";
import { useTRPC } from "@/trpc/client";
import { fromZonedInput, toZonedInput, zoneOffsetLabel } from "@/components/charts/zoned-time";
import { fmtWhen } from "./format";
import type { CalendarRow } from "./types";

const KINDS = Object.values(PromotionKind);
const STATUS_TONE: Record<CalendarRow["status"], Tone> = { past: "slate", ongoing: "amber", upcoming: "blue" };

type Draft = { name: string; kind: PromotionKind; startsAt: string; endsAt: string; notes: string };
const EMPTY: Draft = { name: "", kind: "DOUBLE_11", startsAt: "", endsAt: "", notes: "" };

export function PromotionCalendar({ canWrite }: { canWrite: boolean }) {
  const t = useTranslations("promotions");
  const tc = useTranslations("common");
  const timeZone = useTimeZone() ?? "UTC";
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.promotions.list.queryOptions());
  const [editing, setEditing] = useState<{ id: number | null; draft: Draft } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.promotions.list.queryKey() });
  const payload = (d: Draft) => ({
    name: d.name,
    kind: d.kind,
    startsAt: fromZonedInput(d.startsAt, timeZone),
    endsAt: fromZonedInput(d.endsAt, timeZone),
    notes: d.notes,
  });
  const create = useMutation(trpc.promotions.create.mutationOptions());
  const update = useMutation(trpc.promotions.update.mutationOptions());
  const save = useMutation({
    mutationFn: (e: { id: number | null; draft: Draft }) =>
      e.id === null ? create.mutateAsync(payload(e.draft)) : update.mutateAsync({ id: e.id, promotion: payload(e.draft) }),
    onSuccess: (r) => {
      setNotice(r.overlaps.length ? t("calendar.savedOverlap", { names: r.overlaps.map((o) => o.name).join(", ") }) : tc("saved"));
      setEditing(null);
      void refresh();
    },
  });
  const remove = useMutation(
    trpc.promotions.delete.mutationOptions({
      onSuccess: (_r, v) => {
        setNotice(t("calendar.deleted", { name: list.data?.find((p) => p.id === v.id)?.name ?? "" }));
        void refresh();
      },
    }),
  );
  const errs = fieldErrors(save.error as { data?: unknown } | null);
  const set = (patch: Partial<Draft>) => editing && setEditing({ ...editing, draft: { ...editing.draft, ...patch } });
  // The list is newest first: the latest sale against the previous one of its kind, and the soonest upcoming one.
  const past = list.data?.filter((p) => p.status === "past") ?? [];
  const latest = past[0];
  const previous = past.find((p) => p !== latest && p.kind === latest?.kind) ?? past[1];
  const upcoming = list.data?.filter((p) => p.status === "upcoming").at(-1);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-500">{list.data?.some((p) => p.isDemo) ? t("demoNote") : null}</p>
        <div className="flex gap-2">
          {latest && previous ? (
            <Link
              href={`/promotions/compare?p=${previous.id},${latest.id}`}
              className="rounded-md px-3 py-1.5 text-sm font-medium text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50"
            >
              {t("calendar.compareThese")}: {previous.name} / {latest.name}
            </Link>
          ) : null}
          {upcoming ? (
            <Link
              href={`/promotions/forecast?target=${upcoming.id}`}
              className="rounded-md px-3 py-1.5 text-sm font-medium text-indigo-700 ring-1 ring-indigo-200 hover:bg-indigo-50"
            >
              {t("calendar.forecastThis")}: {upcoming.name}
            </Link>
          ) : null}
          {canWrite ? (
            <Button
              variant="primary"
              onClick={() => {
                save.reset();
                setEditing({ id: null, draft: EMPTY });
              }}
              data-testid="promotion-add"
            >
              {t("calendar.add")}
            </Button>
          ) : null}
        </div>
      </div>
      {notice ? (
        <div role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
          {notice}
        </div>
      ) : null}
      <ErrorNote error={list.error ?? remove.error} />
      <div className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-3 py-2">{t("calendar.name")}</th>
              <th className="px-3 py-2">{t("calendar.kind")}</th>
              <th className="px-3 py-2">
                {t("calendar.startsAt")} ({zoneOffsetLabel(timeZone)})
              </th>
              <th className="px-3 py-2">
                {t("calendar.endsAt")} ({zoneOffsetLabel(timeZone)})
              </th>
              <th className="px-3 py-2 text-right">{t("calendar.hours")}</th>
              <th className="px-3 py-2">{t("calendar.status")}</th>
              <th className="px-3 py-2">{t("calendar.notes")}</th>
              {canWrite ? <th className="px-3 py-2" /> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.data?.map((p) => (
              <tr key={p.id} className="hover:bg-slate-50" data-testid="promotion-row">
                <td className="whitespace-nowrap px-3 py-1.5 font-medium">
                  {p.name} {p.isDemo ? <Badge>{tc("demo")}</Badge> : null}
                </td>
                <td className="px-3 py-1.5">{t(`kinds.${p.kind}`)}</td>
                <td className="whitespace-nowrap px-3 py-1.5 tabular-nums">{fmtWhen(p.startsAt, timeZone)}</td>
                <td className="whitespace-nowrap px-3 py-1.5 tabular-nums">{fmtWhen(p.endsAt, timeZone)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">
                  {Math.round((new Date(p.endsAt).getTime() - new Date(p.startsAt).getTime()) / 3_600_000)}
                </td>
                <td className="px-3 py-1.5">
                  <Badge tone={STATUS_TONE[p.status]}>{t(`status.${p.status}`)}</Badge>
                  {p.overlaps.length ? (
                    <span className="ml-2 text-xs text-amber-700">{t("calendar.overlaps", { names: p.overlaps.map((o) => o.name).join(", ") })}</span>
                  ) : null}
                </td>
                <td className="max-w-xs truncate px-3 py-1.5 text-slate-500" title={p.notes}>
                  {p.notes}
                </td>
                {canWrite ? (
                  <td className="whitespace-nowrap px-3 py-1.5 text-right">
                    <Button
                      variant="ghost"
                      onClick={() => {
                        save.reset();
                        setEditing({
                          id: p.id,
                          draft: {
                            name: p.name,
                            kind: p.kind,
                            startsAt: toZonedInput(p.startsAt, timeZone),
                            endsAt: toZonedInput(p.endsAt, timeZone),
                            notes: p.notes,
                          },
                        });
                      }}
                    >
                      {tc("edit")}
                    </Button>
                    <Button variant="ghost" onClick={() => confirm(tc("confirmDelete", { what: p.name })) && remove.mutate({ id: p.id })}>
                      {tc("delete")}
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
            {list.data?.length === 0 ? (
              <tr>
                <td colSpan={8} className="px-3 py-8 text-center text-slate-500">
                  {t("calendar.empty")}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <Dialog
        open={!!editing}
        onClose={() => setEditing(null)}
        title={editing?.id ? t("calendar.editTitle", { name: editing.draft.name }) : t("calendar.addTitle")}
      >
        {editing ? (
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate(editing);
            }}
          >
            <Field label={t("calendar.name")} error={errs.err("name")}>
              <Input value={editing.draft.name} onChange={(e) => set({ name: e.target.value })} data-testid="promotion-name" />
            </Field>
            <Field label={t("calendar.kind")}>
              <Select value={editing.draft.kind} onChange={(e) => set({ kind: e.target.value as PromotionKind })} data-testid="promotion-kind">
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`kinds.${k}`)}
                  </option>
                ))}
              </Select>
            </Field>
            <div className="grid grid-cols-2 gap-3">
              <Field label={t("calendar.startsAt")} error={errs.err("startsAt")} hint={t("calendar.startsHint")}>
                <Input
                  type="datetime-local"
                  value={editing.draft.startsAt}
                  onChange={(e) => set({ startsAt: e.target.value })}
                  data-testid="promotion-starts"
                />
              </Field>
              <Field label={t("calendar.endsAt")} error={errs.err("endsAt")}>
                <Input type="datetime-local" value={editing.draft.endsAt} onChange={(e) => set({ endsAt: e.target.value })} data-testid="promotion-ends" />
              </Field>
            </div>
            <Field label={t("calendar.notes")}>
              <Textarea rows={3} value={editing.draft.notes} onChange={(e) => set({ notes: e.target.value })} className="font-sans" />
            </Field>
            {!errs.err("name") && !errs.err("startsAt") && !errs.err("endsAt") ? <ErrorNote error={save.error} /> : null}
            <div className="flex justify-end gap-2">
              <Button onClick={() => setEditing(null)}>{tc("cancel")}</Button>
              <Button variant="primary" type="submit" disabled={save.isPending} data-testid="promotion-save">
                {tc("save")}
              </Button>
            </div>
          </form>
        ) : null}
      </Dialog>
    </div>
  );
}
