"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";

export type AckAction =
  { kind: "ack"; serviceId: number; service: string; note: string } | { kind: "silence"; serviceId: number; service: string; note: string; silenced?: boolean };

const CHOICES = [15, 60, 240] as const;

export function AckDialog({ action, onClose }: { action: AckAction; onClose: () => void }) {
  const t = useTranslations("board");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [note, setNote] = useState(action.note);
  const [minutes, setMinutes] = useState<number | "custom">(60);
  const [custom, setCustom] = useState("30");
  const done = () => {
    void qc.invalidateQueries({ queryKey: trpc.board.get.queryKey() });
    onClose();
  };
  const ack = useMutation(trpc.board.acknowledge.mutationOptions({ onSuccess: done }));
  const silence = useMutation(trpc.board.silence.mutationOptions({ onSuccess: done }));
  const error = ack.error ?? silence.error;
  const pending = ack.isPending || silence.isPending;
  const submit = () => {
    if (action.kind === "ack") ack.mutate({ serviceId: action.serviceId, note });
    else silence.mutate({ serviceId: action.serviceId, minutes: minutes === "custom" ? Number(custom) : minutes, note: note || undefined });
  };
  return (
    <Dialog open onClose={onClose} title={action.kind === "ack" ? t("ackTitle", { service: action.service }) : t("silenceTitle", { service: action.service })}>
      <div className="space-y-3">
        {action.kind === "silence" ? (
          <fieldset className="flex flex-wrap items-center gap-3 text-sm" data-testid="silence-choices">
            <legend className="mb-1 text-sm font-medium text-slate-700">{t("for")}</legend>
            {CHOICES.map((m) => (
              <label key={m} className="flex items-center gap-1">
                <input type="radio" checked={minutes === m} onChange={() => setMinutes(m)} /> {t(`silenceChoices.${m}`)}
              </label>
            ))}
            <label className="flex items-center gap-1">
              <input type="radio" checked={minutes === "custom"} onChange={() => setMinutes("custom")} data-testid="silence-custom" /> {t("custom")}
              <input
                type="number"
                min={1}
                className="w-20 rounded border border-slate-300 px-2 py-0.5"
                value={custom}
                onChange={(e) => (setCustom(e.target.value), setMinutes("custom"))}
                data-testid="silence-minutes"
              />
              {t("minutes")}
            </label>
          </fieldset>
        ) : null}
        <label className="block text-sm">
          <span className="font-medium text-slate-700">{t("note")}</span>
          <textarea
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5"
            rows={3}
            value={note}
            placeholder={t("notePlaceholder")}
            onChange={(e) => setNote(e.target.value)}
            data-testid="ack-note"
          />
        </label>
        <ErrorNote error={error} />
        <div className="flex justify-end gap-2">
          {action.kind === "silence" && action.silenced ? (
            <Button disabled={pending} onClick={() => silence.mutate({ serviceId: action.serviceId, minutes: 0 })} data-testid="silence-lift">
              {t("lift")}
            </Button>
          ) : null}
          <Button variant="primary" disabled={pending} onClick={submit} data-testid="ack-save">
            {action.kind === "ack" ? t("acknowledge") : t("silence")}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
