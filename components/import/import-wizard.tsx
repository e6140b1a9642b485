"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Select, Textarea } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";
import { ReportTable } from "./report-table";
import { detectFormat, MAX_IMPORT_BYTES, type ImportKind, type ImportResult } from "./types";

const dataUrl = (mime: string, text: string) => `data:${mime};charset=utf-8,${encodeURIComponent(text)}`;

/**
 * Paste or pick a file → Check (preview: every row validated, nothing written) → import all rows,
 * or only the valid ones. The file is read in the browser; the server checks it again on import.
 */
export function ImportWizard() {
  const t = useTranslations("import");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [kind, setKind] = useState<ImportKind>("hosts");
  const [text, setText] = useState("");
  const [fileNote, setFileNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [checkedText, setCheckedText] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const example = useQuery(trpc.import.example.queryOptions({ kind }));
  const preview = useMutation(trpc.import.preview.mutationOptions());
  const commit = useMutation(
    trpc.import.commit.mutationOptions({
      onSuccess: (r) => {
        setResult(r);
        preview.reset();
        void qc.invalidateQueries({ queryKey: trpc.hosts.pathKey() });
        void qc.invalidateQueries({ queryKey: trpc.services.pathKey() });
        void qc.invalidateQueries({ queryKey: trpc.topology.pathKey() });
      },
    }),
  );

  const clear = () => {
    preview.reset();
    commit.reset();
    setCheckedText(null);
    setResult(null);
  };
  const changeText = (v: string) => {
    setText(v);
    commit.reset();
    setResult(null);
  };

  function pickFile(e: React.ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      setFileNote({ ok: false, text: t("fileTooBig", { name: file.name, size: (file.size / 1024 / 1024).toFixed(1), max: MAX_IMPORT_BYTES / 1024 / 1024 }) });
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      changeText(String(reader.result ?? ""));
      setFileNote({ ok: true, text: t("fileRead", { name: file.name, size: Math.max(1, Math.round(file.size / 1024)) }) });
    };
    reader.onerror = () => setFileNote({ ok: false, text: reader.error?.message ?? file.name });
    reader.readAsText(file);
  }

  function check() {
    commit.reset();
    setResult(null);
    setCheckedText(text);
    preview.mutate({ kind, text, format: "auto" });
  }

  const report = preview.data;
  const stale = report !== undefined && checkedText !== text;
  const busy = preview.isPending || commit.isPending;
  const run = (onlyValid: boolean) => checkedText !== null && commit.mutate({ kind, text: checkedText, format: "auto", onlyValid });

  return (
    <div className="space-y-4">
      <Card>
        <div className="grid gap-4 lg:grid-cols-[16rem_1fr]">
          <div className="space-y-3">
            <Field label={t("kind")}>
              <Select
                data-testid="import-kind"
                value={kind}
                onChange={(e) => {
                  setKind(e.target.value as ImportKind);
                  clear();
                }}
              >
                <option value="hosts">{t("kinds.hosts")}</option>
                <option value="instances">{t("kinds.instances")}</option>
              </Select>
            </Field>
            <div className="space-y-1.5">
              <span className="text-xs font-medium text-slate-600">{t("example")}</span>
              <div className="flex flex-col items-start gap-1 text-sm">
                {example.data ? (
                  <>
                    <a
                      className="text-indigo-700 hover:underline"
                      href={dataUrl("text/csv", example.data.csv)}
                      download={`hedwig-${kind}-example.csv`}
                      data-testid="import-example-csv"
                    >
                      {t("downloadCsv")}
                    </a>
                    <a
                      className="text-indigo-700 hover:underline"
                      href={dataUrl("application/json", example.data.json)}
                      download={`hedwig-${kind}-example.json`}
                      data-testid="import-example-json"
                    >
                      {t("downloadJson")}
                    </a>
                    <button type="button" className="text-indigo-700 hover:underline" onClick={() => changeText(example.data.csv)}>
                      {t("useExample")}
                    </button>
                  </>
                ) : (
                  <ErrorNote error={example.error} />
                )}
              </div>
            </div>
            <details className="text-xs text-slate-600">
              <summary className="cursor-pointer font-medium">{t("columns")}</summary>
              <p className="mt-1 leading-relaxed">{t(`columnHelp.${kind}`)}</p>
            </details>
          </div>

          <div className="space-y-2">
            <Field label={t("text")} hint={text.trim() ? t("detected", { format: t(`formats.${detectFormat(text)}`) }) : undefined}>
              <Textarea
                data-testid="import-text"
                rows={12}
                value={text}
                onChange={(e) => changeText(e.target.value)}
                placeholder={t("textPlaceholder")}
                spellCheck={false}
                className="text-xs"
              />
            </Field>
            <div className="flex flex-wrap items-center gap-2">
              <input
                ref={fileInput}
                type="file"
                accept=".csv,.json,.txt,text/csv,application/json,text/plain"
                className="hidden"
                onChange={pickFile}
                data-testid="import-file"
              />
              <Button onClick={() => fileInput.current?.click()}>{t("file")}</Button>
              <Button variant="primary" data-testid="import-check" disabled={!text.trim() || busy} onClick={check}>
                {preview.isPending ? t("checking") : t("check")}
              </Button>
              {fileNote ? (
                <span className={fileNote.ok ? "text-xs text-slate-500" : "text-xs text-rose-600"} role={fileNote.ok ? undefined : "alert"}>
                  {fileNote.text}
                </span>
              ) : null}
            </div>
            <ErrorNote error={preview.error} />
          </div>
        </div>
      </Card>

      {report ? (
        <div className="space-y-3">
          <ReportTable report={report} />
          {stale ? <p className="text-sm text-amber-700">{t("stale")}</p> : null}
          <div className="flex flex-wrap items-center gap-2">
            <Button
              variant="primary"
              data-testid="import-commit-all"
              disabled={busy || stale || report.invalid > 0 || report.valid === 0}
              onClick={() => run(false)}
            >
              {commit.isPending && !commit.variables?.onlyValid ? t("committing") : t("commitAll", { count: report.rows.length })}
            </Button>
            <Button data-testid="import-commit-valid" disabled={busy || stale || report.valid === 0} onClick={() => run(true)}>
              {commit.isPending && commit.variables?.onlyValid ? t("committing") : t("commitValid", { count: report.valid })}
            </Button>
            {report.invalid > 0 ? <span className="text-xs text-slate-500">{t("allBlocked")}</span> : null}
          </div>
          <ErrorNote error={commit.error} />
        </div>
      ) : null}

      {result ? (
        <div
          role="status"
          data-testid="import-result"
          className="space-y-2 rounded-lg bg-emerald-50 px-4 py-3 text-sm text-emerald-900 ring-1 ring-emerald-200"
        >
          <p>
            {t("done", {
              what: result.report.kind === "hosts" ? t("hostsCount", { n: result.created.hosts }) : t("instancesCount", { n: result.created.instances }),
              racks: result.created.racks,
              services: result.created.services,
              skipped: result.skipped,
            })}
          </p>
          <div className="flex flex-wrap gap-4">
            {result.report.kind === "hosts" ? (
              <Link className="font-medium text-indigo-700 hover:underline" href="/inventory/hosts">
                {t("toHosts")} →
              </Link>
            ) : (
              <>
                <Link className="font-medium text-indigo-700 hover:underline" href="/inventory/services">
                  {t("toServices")} →
                </Link>
                <Link className="font-medium text-indigo-700 hover:underline" href="/inventory/hosts">
                  {t("toHosts")} →
                </Link>
              </>
            )}
            <button
              type="button"
              className="font-medium text-indigo-700 hover:underline"
              onClick={() => {
                clear();
                changeText("");
                setFileNote(null);
              }}
            >
              {t("another")}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
