"use client";

import { clsx } from "clsx";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useText } from "@/components/ui/use-text";
import type { ImportReport } from "./types";

const PAGE = 200;

/** Every row of the check, in file order: ✓ or the reasons in red; notes (a rack or service to create) in grey. */
export function ReportTable({ report }: { report: ImportReport }) {
  const t = useTranslations("import");
  const tc = useTranslations("common");
  const say = useText();
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [page, setPage] = useState(1);
  const rows = onlyErrors ? report.rows.filter((r) => r.status === "error") : report.rows;
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const shown = rows.slice((page - 1) * PAGE, page * PAGE);
  return (
    <div className="overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <div className="flex items-center justify-between gap-3 border-b border-slate-100 px-3 py-2 text-sm">
        <span data-testid="import-summary">
          {t("summary", { valid: report.valid, invalid: report.invalid })} {t("detected", { format: t(`formats.${report.format}`) })}
        </span>
        <label className="flex items-center gap-1.5 text-xs text-slate-600">
          <input
            type="checkbox"
            checked={onlyErrors}
            onChange={(e) => {
              setOnlyErrors(e.target.checked);
              setPage(1);
            }}
          />
          {t("onlyErrors")}
        </label>
      </div>
      {report.notes.length ? (
        <ul className="border-b border-slate-100 bg-amber-50 px-3 py-2 text-xs text-amber-800">
          {report.notes.map((n, i) => (
            <li key={i}>{say(n)}</li>
          ))}
        </ul>
      ) : null}
      <div className="max-h-[60vh] overflow-auto">
        <table className="min-w-full text-sm">
          <thead className="sticky top-0 bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="w-16 px-3 py-2">{report.format === "json" ? t("item") : t("line")}</th>
              <th className="w-10 px-3 py-2" aria-label={t("status")} />
              <th className="px-3 py-2">{t("row")}</th>
              <th className="px-3 py-2">{t("reasons")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {shown.map((r) => (
              <tr key={r.line} data-testid={`import-row-${r.line}`} data-status={r.status} className={clsx(r.status === "error" && "bg-rose-50/50")}>
                <td className="px-3 py-1.5 align-top font-mono tabular-nums text-slate-500">{r.line}</td>
                <td className="px-3 py-1.5 align-top">
                  {r.status === "ok" ? (
                    <span className="text-emerald-600" aria-label="ok">
                      ✓
                    </span>
                  ) : (
                    <span className="text-rose-600" aria-label="error">
                      ✗
                    </span>
                  )}
                </td>
                <td className="whitespace-nowrap px-3 py-1.5 align-top font-mono text-xs text-slate-700">{r.summary}</td>
                <td className="px-3 py-1.5 align-top text-xs">
                  <ul className="space-y-0.5">
                    {r.messages.map((m, i) => (
                      <li key={`m${i}`} className="text-rose-700">
                        {say(m)}
                      </li>
                    ))}
                    {r.notes.map((n, i) => (
                      <li key={`n${i}`} className="text-slate-500">
                        {say(n)}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
            {shown.length === 0 ? (
              <tr>
                <td colSpan={4} className="px-3 py-6 text-center text-slate-500">
                  {tc("noRows")}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <footer className="flex items-center justify-end gap-2 border-t border-slate-100 px-3 py-2 text-xs text-slate-600">
          <button type="button" className="rounded px-2 py-1 hover:bg-slate-100 disabled:text-slate-300" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            ‹ {tc("prev")}
          </button>
          <span className="tabular-nums">{tc("pageOf", { page, pages })}</span>
          <button
            type="button"
            className="rounded px-2 py-1 hover:bg-slate-100 disabled:text-slate-300"
            disabled={page >= pages}
            onClick={() => setPage(page + 1)}
          >
            {tc("next")} ›
          </button>
        </footer>
      ) : null}
    </div>
  );
}
