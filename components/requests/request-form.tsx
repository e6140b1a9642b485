"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { MemcachedNoAuthNote } from "@/components/services/credentials-card";
import { useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useText } from "@/components/ui/use-text";
import { ServiceKind } from "@/generated/prisma/enums";
import { isMemcachedKind, PERSISTENCE_MODES, requestFormSchema, type Persistence, type RequestForm } from "@/server/domain/provisioning/request-schema";
import type { Translator } from "@/lib/text";
import { zodIssueText } from "@/lib/zod-text";
import { useTRPC } from "@/trpc/client";
import { PlanView } from "./plan-view";
import { prefillFromQuery } from "./prefill";

const KINDS = Object.values(ServiceKind);

/** The form as typed: numbers stay strings so a half-typed value is not coerced away. */
type Draft = {
  productLineId: string;
  kind: ServiceKind;
  purpose: string;
  capacityGb: string;
  peakQps: string;
  expectedKeys: string;
  persistence: Persistence;
  highAvailability: boolean;
  idcPreference: string;
  readRatio: string;
};

const INITIAL: Draft = {
  productLineId: "",
  kind: "REDIS_SENTINEL",
  purpose: "",
  capacityGb: "4",
  peakQps: "10000",
  expectedKeys: "1000000",
  persistence: "none",
  highAvailability: true,
  idcPreference: "",
  readRatio: "80",
};

const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

/** The API's input; the server validates and says what is wrong, field by field. */
function toForm(d: Draft): RequestForm {
  return {
    productLineId: Number(d.productLineId),
    kind: d.kind,
    purpose: d.purpose,
    capacityGb: num(d.capacityGb),
    peakQps: num(d.peakQps),
    expectedKeys: num(d.expectedKeys),
    // The persistence select is disabled for Memcached; what it held for Redis is kept for switching back.
    persistence: isMemcachedKind(d.kind) ? "none" : d.persistence,
    highAvailability: d.highAvailability,
    idcPreference: d.idcPreference ? Number(d.idcPreference) : null,
    readRatio: num(d.readRatio),
  };
}

/** What the server would refuse in a purpose (its message is a text code), or undefined. */
const purposeProblem = (purpose: string) => requestFormSchema.shape.purpose.safeParse(purpose).error?.issues[0];
// Sizing does not read the purpose: the preview sends this instead, so the plan shows before a purpose
// is written and does not re-run while it is typed. The real one is checked on sending.
const PREVIEW_PURPOSE = "(purpose is not part of sizing)";

/** The guided request: the plan Hedwig proposes follows the form as it is typed. */
export function RequestFormView() {
  const t = useTranslations("requests.form");
  const tk = useTranslations("requests.kinds");
  const tr = useTranslations() as unknown as Translator;
  const tx = useText();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const prefill = useSearchParams();
  const [d, setD] = useState<Draft>(() => ({ ...INITIAL, ...prefillFromQuery(prefill) }));
  const [purposeTouched, setPurposeTouched] = useState(false);
  const lines = useQuery(trpc.productLines.list.queryOptions({}));
  const idcs = useQuery(trpc.requests.idcs.queryOptions());
  // A member of a single product line has nothing to choose.
  const only = lines.data?.length === 1 ? String(lines.data[0]!.id) : "";
  const withLine = (x: Draft): Draft => ({ ...x, productLineId: x.productLineId || only });
  const draft = withLine(d);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD({ ...draft, [k]: v });

  // Deferred so typing stays smooth; the state itself is deferred, as a fresh object would differ on every render.
  const typed = withLine(useDeferredValue(d));
  const preview = useQuery({
    ...trpc.requests.preview.queryOptions({ ...toForm(typed), purpose: PREVIEW_PURPOSE }),
    enabled: !!typed.productLineId,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const { err, any } = fieldErrors(preview.error);

  const create = useMutation(
    trpc.requests.create.mutationOptions({
      onSuccess: (r) => {
        void qc.invalidateQueries({ queryKey: trpc.requests.pathKey() });
        router.push(`/requests/${r.id}`);
      },
    }),
  );
  const purposeIssue = purposeTouched ? purposeProblem(draft.purpose) : undefined;
  const purposeError = purposeIssue ? tx(zodIssueText(purposeIssue, tr.has)) : undefined;
  const send = (submit: boolean) => {
    setPurposeTouched(true);
    if (purposeProblem(draft.purpose)) return;
    create.mutate({ form: toForm(draft), submit });
  };

  const line = lines.data?.find((l) => String(l.id) === draft.productLineId);
  const memcached = isMemcachedKind(draft.kind);
  const read = Number(draft.readRatio);
  return (
    <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <Card>
        <div className="space-y-4">
          <div className="grid gap-3 sm:grid-cols-2">
            <Field
              label={t("productLine")}
              hint={line ? t("productLineChosen", { importance: line.importance, department: line.department.name }) : t("productLineHint")}
              error={err("productLineId")}
            >
              <Select value={draft.productLineId} onChange={(e) => set("productLineId", e.target.value)} data-testid="req-line">
                <option value="">{t("pickLine")}</option>
                {lines.data?.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.code} · {l.name} {"★".repeat(l.importance)}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t("kind")} hint={tk(`${draft.kind}.hint`)} error={err("kind")}>
              <Select value={draft.kind} onChange={(e) => set("kind", e.target.value as ServiceKind)} data-testid="req-kind">
                {KINDS.map((k) => (
                  <option key={k} value={k}>
                    {tk(`${k}.label`)}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          {memcached ? <MemcachedNoAuthNote className="-mt-2 text-xs text-amber-800" /> : null}
          <Field label={t("purpose")} hint={t("purposeHint")} error={purposeError}>
            <Textarea
              className="font-sans"
              rows={3}
              value={draft.purpose}
              onChange={(e) => set("purpose", e.target.value)}
              onBlur={() => draft.purpose && setPurposeTouched(true)}
              placeholder={t("purposePlaceholder")}
              data-testid="req-purpose"
            />
          </Field>
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label={t("capacity")} hint={t("capacityHint")} error={err("capacityGb")}>
              <Input
                type="number"
                min={0.1}
                step="any"
                value={draft.capacityGb}
                onChange={(e) => set("capacityGb", e.target.value)}
                invalid={!!err("capacityGb")}
                data-testid="req-capacity"
              />
            </Field>
            <Field label={t("qps")} hint={t("qpsHint")} error={err("peakQps")}>
              <Input
                type="number"
                min={1}
                value={draft.peakQps}
                onChange={(e) => set("peakQps", e.target.value)}
                invalid={!!err("peakQps")}
                data-testid="req-qps"
              />
            </Field>
            <Field label={t("keys")} hint={t("keysHint")} error={err("expectedKeys")}>
              <Input
                type="number"
                min={1}
                value={draft.expectedKeys}
                onChange={(e) => set("expectedKeys", e.target.value)}
                invalid={!!err("expectedKeys")}
                data-testid="req-keys"
              />
            </Field>
          </div>
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label={t("persistence")} hint={memcached ? t("persistenceMemcached") : t("persistenceHint")} error={err("persistence")}>
              <Select
                value={memcached ? "none" : draft.persistence}
                disabled={memcached}
                onChange={(e) => set("persistence", e.target.value as Persistence)}
                data-testid="req-persistence"
              >
                {PERSISTENCE_MODES.map((p) => (
                  <option key={p} value={p}>
                    {t(`persistenceModes.${p}`)}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t("ha")} hint={t(`haHints.${draft.kind}`)} error={err("highAvailability")}>
              <span className="flex items-center gap-2 py-1.5 text-sm">
                <input type="checkbox" checked={draft.highAvailability} onChange={(e) => set("highAvailability", e.target.checked)} data-testid="req-ha" />
                {t("haLabel")}
              </span>
            </Field>
            {idcs.error ? null : (
              <Field label={t("idc")} hint={t("idcHint")} error={err("idcPreference")}>
                <Select value={draft.idcPreference} onChange={(e) => set("idcPreference", e.target.value)} data-testid="req-idc">
                  <option value="">{t("anyIdc")}</option>
                  {idcs.data?.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.code} · {i.name}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
          </div>
          <Field
            label={t("read")}
            hint={t("readHint", { read: Number.isFinite(read) ? read : "?", write: Number.isFinite(read) ? 100 - read : "?" })}
            error={err("readRatio")}
          >
            <span className="flex items-center gap-3">
              <input
                type="range"
                min={0}
                max={100}
                step={5}
                className="flex-1 accent-indigo-600"
                value={Number.isFinite(read) ? read : 0}
                onChange={(e) => set("readRatio", e.target.value)}
                aria-label={t("read")}
              />
              <Input
                className="w-20"
                type="number"
                min={0}
                max={100}
                value={draft.readRatio}
                onChange={(e) => set("readRatio", e.target.value)}
                invalid={!!err("readRatio")}
                data-testid="req-read"
              />
              <span className="text-sm text-slate-500">%</span>
            </span>
          </Field>
          <ErrorNote error={create.error} />
          <div className="flex flex-wrap items-center gap-2 border-t border-slate-100 pt-4">
            <Button variant="primary" onClick={() => send(true)} disabled={create.isPending || !draft.productLineId} data-testid="req-submit">
              {t("submit")}
            </Button>
            <Button onClick={() => send(false)} disabled={create.isPending || !draft.productLineId} data-testid="req-draft">
              {t("saveDraft")}
            </Button>
            <span className="text-xs text-slate-500">{draft.productLineId ? t("submitHint") : t("needLine")}</span>
          </div>
        </div>
      </Card>
      <Card
        title={t("planTitle")}
        actions={preview.isFetching ? <span className="text-xs text-slate-400">{t("updating")}</span> : null}
        className="lg:sticky lg:top-4"
      >
        {!typed.productLineId ? (
          <p className="text-sm text-slate-500">{t("planNeedsLine")}</p>
        ) : preview.error ? (
          any ? (
            <p className="text-sm text-rose-700" role="alert">
              {t("planFieldErrors")}
            </p>
          ) : (
            <ErrorNote error={preview.error} />
          )
        ) : preview.data ? (
          <PlanView plan={preview.data} />
        ) : (
          <p className="text-sm text-slate-500">{t("planLoading")}</p>
        )}
      </Card>
    </div>
  );
}
