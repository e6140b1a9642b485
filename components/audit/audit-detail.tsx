"use client";

import { create } from "jsondiffpatch";
import { format as formatDelta } from "jsondiffpatch/formatters/html";
import "jsondiffpatch/formatters/styles/html.css";
import { useFormatter, useTranslations } from "next-intl";
import { Dialog } from "@/components/ui/dialog";
import { useText } from "@/components/ui/use-text";
import type { AuditRow } from "./types";

// Array items are matched by id where they have one, so a reordered list is not shown as all changed.
const differ = create({ objectHash: (o: object, i?: number) => String((o as { id?: unknown }).id ?? `$$index:${i}`) });

const entityOf = (e: AuditRow) => (e.entityId ? `${e.entityType} #${e.entityId}` : e.entityType);

/** One audit entry: what changed (a structural diff), then before and after side by side in full. */
export function AuditDetailDialog({ entry, onClose }: { entry: AuditRow; onClose: () => void }) {
  const t = useTranslations("audit");
  const format = useFormatter();
  const say = useText();
  const delta = entry.before != null && entry.after != null ? differ.diff(entry.before, entry.after) : undefined;
  // The HTML formatter escapes every value it prints.
  const deltaHtml = delta ? formatDelta(delta, entry.before) : null;
  return (
    <Dialog open onClose={onClose} title={t("detailTitle", { action: entry.action, entity: entityOf(entry) })} wide>
      <div className="space-y-3" data-testid="audit-detail">
        <p className="text-sm text-slate-600">
          {format.dateTime(entry.at, { dateStyle: "medium", timeStyle: "medium" })} · <span className="font-medium">{entry.actorName}</span> ·{" "}
          {say(entry.text, entry.summary)}
        </p>
        {entry.before != null && entry.after != null ? (
          <section data-testid="audit-changed">
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("changed")}</h3>
            {deltaHtml ? (
              <div className="max-h-[40vh] overflow-auto rounded-md p-2 text-xs ring-1 ring-slate-200" dangerouslySetInnerHTML={{ __html: deltaHtml }} />
            ) : (
              <p className="text-sm text-slate-500">{t("noChange")}</p>
            )}
          </section>
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
