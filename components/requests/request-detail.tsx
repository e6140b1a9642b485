"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { Stars } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import { CleanupDetail, RetireDetail } from "@/components/decommission/retire";
import { ApprovalPlanner, type PlanAdjustment } from "./approval-planner";
import { DeliveryCard } from "./delivery-card";
import { JobView } from "./job-view";
import { PlanView } from "./plan-view";
import { RequestActions } from "./request-actions";
import { Age, RequestStatusBadge } from "./status";
import type { RequestDetail, RequestStatus } from "./types";

/** While the worker may be moving it, the page follows the steps; otherwise nothing changes by itself. */
const LIVE: RequestStatus[] = ["APPROVED", "PROVISIONING"];

function Row({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="contents">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 text-slate-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function SubmittedForm({ request, idcName }: { request: RequestDetail; idcName: string | null }) {
  const t = useTranslations("requests.form");
  const tk = useTranslations("requests.kinds");
  const tc = useTranslations("common");
  const f = request.form;
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5 text-sm" data-testid="req-form">
      <Row label={t("kind")}>{tk(`${f.kind}.label`)}</Row>
      <Row label={t("purpose")}>
        <span className="whitespace-pre-line">{f.purpose}</span>
      </Row>
      <Row label={t("capacity")}>
        <span className="tabular-nums">{f.capacityGb.toLocaleString()} GB</span>
      </Row>
      <Row label={t("qps")}>
        <span className="tabular-nums">{f.peakQps.toLocaleString()}</span>
      </Row>
      <Row label={t("keys")}>
        <span className="tabular-nums">{f.expectedKeys.toLocaleString()}</span>
      </Row>
      <Row label={t("persistence")}>{t(`persistenceModes.${f.persistence}`)}</Row>
      <Row label={t("ha")}>{f.highAvailability ? tc("yes") : tc("no")}</Row>
      <Row label={t("idc")}>{f.idcPreference === null ? t("anyIdc") : (idcName ?? `#${f.idcPreference}`)}</Row>
      <Row label={t("read")}>
        <span className="tabular-nums">{t("readSplit", { read: f.readRatio, write: 100 - f.readRatio })}</span>
      </Row>
    </dl>
  );
}

function Decision({ request }: { request: RequestDetail }) {
  const t = useTranslations("requests.detail");
  const format = useFormatter();
  if (!request.decidedBy) return null;
  // Only approve and reject record a decider, and a rejection is final.
  const rejected = request.status === "REJECTED";
  return (
    <Card title={t("decision")}>
      <div className="space-y-2 text-sm" data-testid="req-decision">
        <p className={rejected ? "font-medium text-rose-700" : "font-medium text-emerald-700"}>
          {t(rejected ? "rejectedBy" : "approvedBy", { user: request.decidedBy.username })}
          {request.decidedAt ? (
            <span className="ml-2 font-normal text-slate-500">{format.dateTime(request.decidedAt, { dateStyle: "medium", timeStyle: "short" })}</span>
          ) : null}
        </p>
        {request.decisionComment ? (
          <blockquote className="whitespace-pre-line border-l-4 border-slate-200 pl-3 text-slate-700" data-testid="req-decision-comment">
            {request.decisionComment}
          </blockquote>
        ) : (
          <p className="text-slate-500">{t("noComment")}</p>
        )}
      </div>
    </Card>
  );
}

export function RequestDetailView({ id, canRequest }: { id: number; canRequest: boolean }) {
  const t = useTranslations("requests.detail");
  const tk = useTranslations("requests.kinds");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const [adjust, setAdjust] = useState<PlanAdjustment>({});
  const query = useQuery({
    ...trpc.requests.get.queryOptions({ id }),
    // Steps move every second while provisioning; a request waiting for a decision is checked less often.
    refetchInterval: (q) => (!q.state.data ? false : LIVE.includes(q.state.data.status) ? 1000 : q.state.data.status === "SUBMITTED" ? 5000 : false),
  });
  const idcPreference = query.data?.form.idcPreference ?? null;
  // IDC names come from the requesters' own list; other roles see the id.
  const idcs = useQuery({ ...trpc.requests.idcs.queryOptions(), enabled: canRequest && idcPreference !== null });
  if (query.error)
    return (
      <div data-testid="req-error">
        <ErrorNote error={query.error} />
      </div>
    );
  if (!query.data) return <p className="text-slate-500">{tc("loading")}</p>;
  const r = query.data;
  const pl = r.productLine;
  return (
    <>
      <PageHeader
        title={t("title", { id: r.id })}
        subtitle={
          <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1 text-slate-700">
            <RequestStatusBadge status={r.status} />
            <span>
              {pl.code} · {pl.name}
            </span>
            <Stars n={pl.importance} />
            <span className="text-slate-500">{pl.department.name}</span>
            <span className="text-slate-400">·</span>
            <span>{tk(`${r.kind}.label`)}</span>
            <span className="text-slate-400">·</span>
            <span>{t("requestedBy", { user: r.requester.displayName || r.requester.username })}</span>
            <span className="text-slate-500">
              <Age at={r.createdAt} />
            </span>
          </span>
        }
      />
      {r.action !== "PROVISION" ? (
        <div className="space-y-4">
          <RequestActions request={r} adjust={adjust} />
          {r.action === "DECOMMISSION" ? (
            <RetireDetail requestId={r.id} reason={r.purpose} />
          ) : (
            <CleanupDetail form={r.form as unknown as { service: string; pattern: string }} reason={r.purpose} />
          )}
          <Decision request={r} />
          {r.jobs.map((job, i) => (
            <JobView key={job.id} job={job} current={i === 0} />
          ))}
        </div>
      ) : (
        <div className="space-y-4">
          <RequestActions request={r} adjust={adjust} />
          {r.actions.includes("approve") ? <ApprovalPlanner request={r} adjust={adjust} onAdjust={setAdjust} /> : null}
          {r.status === "DELIVERED" ? <DeliveryCard request={r} /> : null}
          {r.jobs.map((job, i) => (
            <JobView key={job.id} job={job} current={i === 0} />
          ))}
          <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
            <div className="space-y-4">
              <Card title={t("form")}>
                <SubmittedForm request={r} idcName={idcs.data?.find((i) => i.id === idcPreference)?.code ?? null} />
              </Card>
              <Decision request={r} />
            </div>
            <Card title={t("plan")}>
              <PlanView plan={r.plan} />
            </Card>
          </div>
        </div>
      )}
    </>
  );
}
