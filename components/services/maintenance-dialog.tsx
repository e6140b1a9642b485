"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input } from "@/components/ui/field";
import type { ServiceInstance } from "./types";
import type { Operations } from "./use-operations";

export type MaintenanceMode = "stop" | "restart" | "window";

/** minutes a window lasts unless the DBA picks an end (the server's defaults for stop and restart) */
const DEFAULT_MINUTES: Record<MaintenanceMode, number> = { stop: 60, restart: 10, window: 60 };

/** "2026-12-03T16:05" in the browser's zone, as <input type="datetime-local"> wants it */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * A DBA's deliberate stop or restart, or a maintenance window on a running instance: each says
 * until when the instance is in maintenance (shown, not paged, not restarted by Hedwig) and why.
 */
export function MaintenanceDialog({
  instance: i,
  mode,
  ops,
  onClose,
}: {
  instance: ServiceInstance;
  mode: MaintenanceMode;
  ops: Operations;
  onClose: () => void;
}) {
  const t = useTranslations("healing.maintenance");
  const tc = useTranslations("common");
  const address = `${i.host.ip}:${i.port}`;
  const [until, setUntil] = useState(() => localInput(new Date(Date.now() + DEFAULT_MINUTES[mode] * 60_000)));
  const [note, setNote] = useState("");
  const mutation = mode === "window" ? ops.maintenance : ops[mode];
  function submit(e: React.FormEvent) {
    e.preventDefault();
    const end = new Date(until);
    const done = { onSuccess: onClose };
    if (mode === "window") ops.maintenance.mutate({ instanceId: i.id, until: end, note: note.trim() || undefined }, done);
    else ops[mode].mutate({ instanceId: i.id, maintenanceUntil: end, maintenanceNote: note.trim() || undefined }, done);
  }
  const title = mode === "stop" ? t("stopTitle", { address }) : mode === "restart" ? t("restartTitle", { address }) : t("title", { address });
  return (
    <Dialog open onClose={onClose} title={title}>
      <form onSubmit={submit} className="space-y-4" noValidate data-testid="maintenance-dialog">
        <p className="text-sm text-slate-600">{mode === "stop" ? t("stopText") : mode === "restart" ? t("restartText") : t("windowText")}</p>
        <Field label={t("until")} hint={t("untilHint")}>
          <Input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} data-testid="maintenance-until" required />
        </Field>
        <Field label={t("note")}>
          <Input value={note} maxLength={200} placeholder={t("notePlaceholder")} onChange={(e) => setNote(e.target.value)} data-testid="maintenance-note" />
        </Field>
        <ErrorNote error={mutation.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={ops.pending || !until} data-testid="maintenance-apply">
            {mode === "window" ? t("save") : t(mode)}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
