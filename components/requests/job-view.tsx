"use client";

import { clsx } from "clsx";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { useText } from "@/components/ui/use-text";
import type { RequestJob } from "./types";

type Step = RequestJob["steps"][number];
type Log = RequestJob["logs"][number];

export const JOB_TONE: Record<RequestJob["status"], Tone> = { QUEUED: "slate", RUNNING: "blue", SUCCEEDED: "green", FAILED: "red" };

function StepIcon({ status }: { status: Step["status"] }) {
  if (status === "RUNNING") {
    return <span className="inline-block h-3.5 w-3.5 animate-spin rounded-full border-2 border-sky-500 border-t-transparent" aria-hidden />;
  }
  const icon = { PENDING: "○", DONE: "✓", FAILED: "✗", UNDONE: "↺" }[status];
  const colour = { PENDING: "text-slate-400", DONE: "text-emerald-600", FAILED: "text-rose-600", UNDONE: "text-amber-600" }[status];
  return (
    <span className={clsx("inline-block w-3.5 text-center font-bold", colour)} aria-hidden>
      {icon}
    </span>
  );
}

const seconds = (from: Date, to: Date) => `${((to.getTime() - from.getTime()) / 1000).toFixed(1)} s`;

export function Steps({ steps, testId }: { steps: Step[]; testId?: string }) {
  const t = useTranslations("requests.job");
  const tx = useText();
  const format = useFormatter();
  const time = (d: Date) => format.dateTime(d, { timeStyle: "medium" });
  if (steps.length === 0) return <p className="text-sm text-slate-500">{t("noSteps")}</p>;
  return (
    <ol className="space-y-1.5" data-testid={testId}>
      {steps.map((s) => (
        <li key={s.index} className="text-sm" data-testid={`req-step-${s.index}`} data-status={s.status}>
          <div className="flex items-center gap-2">
            <StepIcon status={s.status} />
            <span className={clsx(s.status === "PENDING" ? "text-slate-500" : "text-slate-800", s.status === "RUNNING" && "font-medium")}>
              {tx(s.text, s.name)}
            </span>
            <span className="sr-only">{t(`stepStatuses.${s.status}`)}</span>
            <span className="ml-auto whitespace-nowrap text-xs tabular-nums text-slate-500">
              {s.startedAt ? time(s.startedAt) : null}
              {s.startedAt && s.finishedAt ? ` · ${seconds(s.startedAt, s.finishedAt)}` : null}
            </span>
          </div>
          {s.error ? <p className="ml-5.5 mt-0.5 text-xs text-rose-700">{tx(s.errorText, s.error)}</p> : null}
        </li>
      ))}
    </ol>
  );
}

const LEVEL_COLOUR: Record<string, string> = { error: "text-rose-400", warn: "text-amber-300" };

/** Oldest first, newest at the bottom like a terminal; follows new lines unless the reader scrolled up. */
export function LogView({ logs, steps, testId }: { logs: Log[]; steps: Step[]; testId?: string }) {
  const t = useTranslations("requests.job");
  const format = useFormatter();
  const box = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const tx = useText();
  useEffect(() => {
    const el = box.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [logs.length]);
  const stepName = new Map(steps.map((s) => [s.index, tx(s.text, s.name)]));
  return (
    <div
      ref={box}
      onScroll={(e) => {
        const el = e.currentTarget;
        following.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
      className="max-h-96 min-h-32 overflow-y-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-200"
      data-testid={testId}
    >
      {logs.length === 0 ? <span className="text-slate-500">{t("noLog")}</span> : null}
      {logs.map((l) => (
        <div key={l.id} className={clsx("whitespace-pre-wrap break-words", LEVEL_COLOUR[l.level])} data-level={l.level}>
          <span className="text-slate-500">{format.dateTime(l.at, { timeStyle: "medium" })}</span>{" "}
          {l.stepIndex !== null ? (
            <span className="text-slate-500" title={stepName.get(l.stepIndex)}>
              [{l.stepIndex + 1}]
            </span>
          ) : null}{" "}
          {tx(l.text, l.message)}
        </div>
      ))}
    </div>
  );
}

/** One provisioning run: its steps as they move, and its log. Only the newest run carries the test ids. */
export function JobView({ job, current }: { job: RequestJob; current: boolean }) {
  const t = useTranslations("requests.job");
  const format = useFormatter();
  const tx = useText();
  return (
    <Card
      title={
        <span className="inline-flex items-center gap-2">
          {current ? t("title") : t("earlierTitle")}
          <Badge tone={JOB_TONE[job.status]}>{t(`statuses.${job.status}`)}</Badge>
          <span className="text-xs font-normal text-slate-500">{format.dateTime(job.createdAt, { dateStyle: "medium", timeStyle: "short" })}</span>
        </span>
      }
    >
      {job.error ? <p className="mb-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">{tx(job.errorText, job.error)}</p> : null}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <Steps steps={job.steps} testId={current ? "req-steps" : undefined} />
        <LogView logs={job.logs} steps={job.steps} testId={current ? "req-log" : undefined} />
      </div>
    </Card>
  );
}
