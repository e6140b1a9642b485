"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input, Textarea } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";
import type { PlanAdjustment } from "./approval-planner";
import type { RequestDetail } from "./types";

/** A reason is required: the requester reads it to change the request. */
function RejectDialog({ id, onClose }: { id: number; onClose: () => void }) {
  const t = useTranslations("requests.actions");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [comment, setComment] = useState("");
  const reject = useMutation(
    trpc.requests.reject.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.requests.pathKey() });
        onClose();
      },
    }),
  );
  const { err, any } = fieldErrors(reject.error);
  return (
    <Dialog open onClose={onClose} title={t("rejectTitle", { id })}>
      <div className="space-y-3">
        <Field label={t("rejectReason")} hint={t("rejectHint")} error={err("comment")}>
          <Textarea className="font-sans" rows={4} value={comment} onChange={(e) => setComment(e.target.value)} autoFocus data-testid="req-reject-comment" />
        </Field>
        {any ? null : <ErrorNote error={reject.error} />}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button
            variant="danger"
            disabled={!comment.trim() || reject.isPending}
            onClick={() => reject.mutate({ id, comment })}
            data-testid="req-reject-confirm"
          >
            {t("reject")}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

/** The events this user may send now, as the server lists them; the server still decides. */
export function RequestActions({ request, adjust }: { request: RequestDetail; adjust: PlanAdjustment }) {
  const t = useTranslations("requests.actions");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [comment, setComment] = useState("");
  const [rejecting, setRejecting] = useState(false);
  const done = { onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.requests.pathKey() }) };
  const approve = useMutation(trpc.requests.approve.mutationOptions(done));
  const retry = useMutation(trpc.requests.retry.mutationOptions(done));
  const cancel = useMutation(trpc.requests.cancel.mutationOptions(done));
  const submit = useMutation(trpc.requests.submit.mutationOptions(done));
  const withdraw = useMutation(trpc.requests.withdraw.mutationOptions(done));
  const all = [approve, retry, cancel, submit, withdraw];
  const busy = all.some((m) => m.isPending);
  const error = all.find((m) => m.error)?.error;
  const can = new Set(request.actions);
  if (can.size === 0) return null;
  const id = request.id;
  return (
    <Card title={t("title")}>
      <div className="space-y-3">
        <div className="flex flex-wrap items-center gap-2">
          {can.has("approve") ? (
            <>
              <Input
                className="w-72"
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                placeholder={t("approveComment")}
                aria-label={t("approveComment")}
                data-testid="req-approve-comment"
              />
              <Button
                variant="primary"
                disabled={busy}
                onClick={() => approve.mutate({ id, comment: comment.trim() || null, adjust })}
                data-testid="req-approve"
              >
                ✓ {t("approve")}
              </Button>
            </>
          ) : null}
          {can.has("reject") ? (
            <Button variant="danger" disabled={busy} onClick={() => setRejecting(true)} data-testid="req-reject">
              ✗ {t("reject")}
            </Button>
          ) : null}
          {can.has("submit") ? (
            <Button variant="primary" disabled={busy} onClick={() => submit.mutate({ id })} data-testid="req-submit-draft">
              {t("submit")}
            </Button>
          ) : null}
          {can.has("retry") ? (
            <Button variant="primary" disabled={busy} onClick={() => retry.mutate({ id })} data-testid="req-retry">
              ↻ {t("retry")}
            </Button>
          ) : null}
          {can.has("withdraw") ? (
            <Button disabled={busy} onClick={() => withdraw.mutate({ id })} data-testid="req-withdraw">
              {t("withdraw")}
            </Button>
          ) : null}
          {can.has("cancel") ? (
            <Button variant="ghost" className="text-rose-700" disabled={busy} onClick={() => cancel.mutate({ id })} data-testid="req-cancel">
              {t("cancel")}
            </Button>
          ) : null}
        </div>
        <p className="text-xs text-slate-500">{request.actions.map((a) => t(`hints.${a}`)).join(" ")}</p>
        <ErrorNote error={error} />
      </div>
      {rejecting ? <RejectDialog id={id} onClose={() => setRejecting(false)} /> : null}
    </Card>
  );
}
