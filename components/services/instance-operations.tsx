"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input } from "@/components/ui/field";
import { MaintenanceDialog, type MaintenanceMode } from "./maintenance-dialog";
import type { ServiceDetail, ServiceInstance } from "./types";
import type { Operations } from "./use-operations";

const small = "px-2 py-1 text-xs";

/** The operations that make sense on this instance, as buttons; each asks first when it interrupts clients. */
export function InstanceOperations({ service, instance: i, ops }: { service: ServiceDetail; instance: ServiceInstance; ops: Operations }) {
  const t = useTranslations("operations");
  const tm = useTranslations("healing.maintenance");
  const [sizing, setSizing] = useState(false);
  const [deliberate, setDeliberate] = useState<MaintenanceMode | null>(null);
  const inMaintenance = i.maintenanceUntil !== null && i.maintenanceUntil > new Date();
  const address = `${i.host.ip}:${i.port}`;
  const id = { instanceId: i.id };
  const confirmed = (key: "remove" | "failover") => window.confirm(t(`confirm.${key}`, { address }));
  const testId = (what: string) => `op-${what}-${address}`;
  // Hedwig starts and removes only what it laid out; an adopted instance's files are elsewhere.
  const deployed = !service.adopted;
  return (
    <>
      {deployed && i.state !== "RUNNING" ? (
        <Button variant="ghost" className={small} disabled={ops.pending} onClick={() => ops.start.mutate(id)} data-testid={testId("start")}>
          {t("start")}
        </Button>
      ) : null}
      {deployed && i.state === "RUNNING" ? (
        <>
          <Button variant="ghost" className={small} disabled={ops.pending} onClick={() => setDeliberate("stop")} data-testid={testId("stop")}>
            {t("stop")}
          </Button>
          <Button variant="ghost" className={small} disabled={ops.pending} onClick={() => setDeliberate("restart")} data-testid={testId("restart")}>
            {t("restart")}
          </Button>
        </>
      ) : null}
      {deployed && i.state !== "UNKNOWN" ? (
        inMaintenance ? (
          <Button
            variant="ghost"
            className={small}
            disabled={ops.pending}
            onClick={() => window.confirm(tm("confirmEnd", { address })) && ops.endMaintenance.mutate(id)}
            data-testid={testId("end-maintenance")}
          >
            {tm("end")}
          </Button>
        ) : (
          <Button variant="ghost" className={small} disabled={ops.pending} onClick={() => setDeliberate("window")} data-testid={testId("maintenance")}>
            {tm("open")}
          </Button>
        )
      ) : null}
      {i.software === "REDIS" ? (
        <Button variant="ghost" className={small} disabled={ops.pending} onClick={() => setSizing(true)} data-testid={testId("maxmemory")}>
          {t("maxmemory")}
        </Button>
      ) : null}
      {i.role === "REPLICA" ? (
        <Button
          variant="ghost"
          className={small}
          disabled={ops.pending}
          onClick={() => confirmed("failover") && ops.failover.mutate(id)}
          data-testid={testId("failover")}
        >
          {t("failover")}
        </Button>
      ) : null}
      {deployed ? (
        <Button
          variant="ghost"
          className={`${small} text-rose-700`}
          disabled={ops.pending}
          onClick={() => confirmed("remove") && ops.remove.mutate(id)}
          data-testid={testId("remove")}
        >
          {t("remove")}
        </Button>
      ) : null}
      {sizing ? <MaxmemoryDialog instance={i} ops={ops} onClose={() => setSizing(false)} /> : null}
      {deliberate ? <MaintenanceDialog instance={i} mode={deliberate} ops={ops} onClose={() => setDeliberate(null)} /> : null}
    </>
  );
}

function MaxmemoryDialog({ instance: i, ops, onClose }: { instance: ServiceInstance; ops: Operations; onClose: () => void }) {
  const t = useTranslations("operations.maxmemoryDialog");
  const tc = useTranslations("common");
  const [mb, setMb] = useState(i.maxmemoryMb ? String(i.maxmemoryMb) : "");
  const address = `${i.host.ip}:${i.port}`;
  function submit(e: React.FormEvent) {
    e.preventDefault();
    ops.maxmemory.mutate({ instanceId: i.id, maxmemoryMb: Number(mb) }, { onSuccess: onClose });
  }
  return (
    <Dialog open onClose={onClose} title={t("title", { address })}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label={t("label")} hint={t("hint")}>
          <Input type="number" min={1} value={mb} onChange={(e) => setMb(e.target.value)} data-testid="op-maxmemory-mb" autoFocus />
        </Field>
        {i.maxmemoryMb ? <p className="text-xs text-slate-500">{t("current", { mb: i.maxmemoryMb })}</p> : null}
        <ErrorNote error={ops.maxmemory.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={ops.pending || !mb.trim()} data-testid="op-maxmemory-apply">
            {t("apply")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
