"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Dialog } from "@/components/ui/dialog";
import { changedFields } from "./changed-fields";
import type { AuditRow } from "./types";

const entityOf = (e: AuditRow) => (e.entityId ? `${e.entityType} #${e.entityId}` : e.entityType);

/** One audit entry: before and after side by side as pretty JSON, with the fields that changed named on top. */
export function AuditDetailDialog({ entry, onClose }: { entry: AuditRow; onClose: () => void }) {
  const t = useTranslations("audit");
  const format = useFormatter();
  const changed = changedFields(entry.before, entry.after);
  return (
    <Dialog open onClose={onClose} title={t("detailTitle", { action: entry.action, entity: entityOf(entry) })} wide>
      <div className="space-y-3" data-testid="audit-detail">
        <p className="text-sm text-slate-600">
          {format.dateTime(entry.at, { dateStyle: "medium", timeStyle: "medium" })} · <span className="font-medium">{entry.actorName}</span> · {entry.summary}
        </p>
        {changed ? (
          <p className="flex flex-wrap items-center gap-1 text-sm" data-testid="audit-changed">
            <span className="text-slate-500">{t("changed")}:</span>
            {changed.length === 0 ? <span className="text-slate-500">{t("noChange")}</span> : null}
            {changed.map((k) => <span key={k} className="rounded bg-amber-50 px-1.5 py-0.5 font-mono text-xs text-amber-800 ring-1 ring-amber-600/20">{k}</span>)}
          </p>
        ) : null}
        <div className="grid gap-3 md:grid-cols-2">
          <JsonPane title={t("before")} value={entry.before} empty={t("nothing")} testId="audit-before" />
          <JsonPane title={t("after")} value={entry.after} empty={t("nothing")} testId="audit-after" />
        </div>
      </div>
    </Dialog>
  );
}

function JsonPane({ title, value, empty, testId }: { title: string; value: unknown; empty: string; testId: string }) {
  return (
    <section className="min-w-0">
      <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      <pre className="max-h-[55vh] overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800 ring-1 ring-slate-200" data-testid={testId}>
        {value === null || value === undefined ? empty : JSON.stringify(value, null, 2)}
      </pre>
    </section>
  );
}
