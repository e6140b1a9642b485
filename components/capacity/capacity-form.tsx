"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Field, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/client";

export type CapacityForm = {
  specId: string;
  cpuCores: string;
  memoryGb: string;
  diskGb: string;
  bandwidthMbps: string;
  idcId: string;
  selector: string;
  productLineId: string;
  importance: string;
  departmentId: string;
  replicas: string;
  crossIdc: boolean;
  capServiceId: string;
  capMax: string;
};

export const INITIAL_FORM: CapacityForm = {
  specId: "",
  cpuCores: "1",
  memoryGb: "4",
  diskGb: "10",
  bandwidthMbps: "100",
  idcId: "",
  selector: "",
  productLineId: "",
  importance: "2",
  departmentId: "",
  replicas: "2",
  crossIdc: false,
  capServiceId: "",
  capMax: "",
};

const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

/** The form as the API's input; the server validates and says what is wrong. */
export function toCapacityInput(f: CapacityForm) {
  return {
    spec: { cpuCores: num(f.cpuCores), memoryMb: Math.round(num(f.memoryGb) * 1024), diskGb: num(f.diskGb), bandwidthMbps: num(f.bandwidthMbps) },
    idcIds: f.idcId ? [Number(f.idcId)] : null,
    selector: f.selector,
    productLineId: f.productLineId ? Number(f.productLineId) : null,
    importance: Number(f.importance),
    departmentId: f.departmentId ? Number(f.departmentId) : null,
    replicas: num(f.replicas),
    crossIdc: f.crossIdc,
    hostCap: f.capServiceId && f.capMax ? { serviceId: Number(f.capServiceId), maxPerHost: num(f.capMax) } : null,
  };
}

export function CapacityFormFields({
  form,
  onChange,
  fieldError,
}: {
  form: CapacityForm;
  onChange: (f: CapacityForm) => void;
  fieldError: (k: string) => string | undefined;
}) {
  const t = useTranslations("capacity");
  const trpc = useTRPC();
  const specs = useQuery(trpc.catalog.specs.queryOptions());
  const idcs = useQuery(trpc.topology.idcs.queryOptions());
  const lines = useQuery(trpc.productLines.list.queryOptions({}));
  const departments = useQuery(trpc.productLines.departments.queryOptions());
  const set = <K extends keyof CapacityForm>(k: K, v: CapacityForm[K]) => onChange({ ...form, [k]: v });
  const pickSpec = (id: string) => {
    const s = specs.data?.find((x) => String(x.id) === id);
    onChange(
      s
        ? {
            ...form,
            specId: id,
            cpuCores: String(s.cpuCores),
            memoryGb: String(s.memoryMb / 1024),
            diskGb: String(s.diskGb),
            bandwidthMbps: String(s.bandwidthMbps),
          }
        : { ...form, specId: "" },
    );
  };
  const line = lines.data?.find((l) => String(l.id) === form.productLineId);
  const specError = fieldError("spec");
  return (
    <div className="space-y-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <Field label={t("spec")}>
          <Select value={form.specId} onChange={(e) => pickSpec(e.target.value)} data-testid="cap-spec">
            <option value="">{t("customSpec")}</option>
            {specs.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.software.toLowerCase()}/{s.name} · {s.cpuCores}c {s.memoryMb / 1024}G
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("cpu")}>
          <Input
            type="number"
            step="0.5"
            value={form.cpuCores}
            onChange={(e) => onChange({ ...form, specId: "", cpuCores: e.target.value })}
            data-testid="cap-cpu"
          />
        </Field>
        <Field label={t("memoryGb")}>
          <Input type="number" value={form.memoryGb} onChange={(e) => onChange({ ...form, specId: "", memoryGb: e.target.value })} data-testid="cap-memory" />
        </Field>
        <Field label={t("diskGb")}>
          <Input type="number" value={form.diskGb} onChange={(e) => onChange({ ...form, specId: "", diskGb: e.target.value })} />
        </Field>
        <Field label={t("bandwidth")}>
          <Input type="number" value={form.bandwidthMbps} onChange={(e) => onChange({ ...form, specId: "", bandwidthMbps: e.target.value })} />
        </Field>
      </div>
      {specError ? (
        <p className="text-xs text-rose-600" role="alert">
          {specError}
        </p>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <Field label={t("idc")}>
          <Select value={form.idcId} onChange={(e) => set("idcId", e.target.value)} data-testid="cap-idc">
            <option value="">{t("anyIdc")}</option>
            {idcs.data?.map((i) => (
              <option key={i.id} value={i.id}>
                {i.code} · {i.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("selector")} hint={t("selectorHint")} className="lg:col-span-2">
          <Input
            className="font-mono"
            value={form.selector}
            onChange={(e) => set("selector", e.target.value)}
            placeholder="disk=ssd,env!=test"
            data-testid="cap-selector"
          />
        </Field>
        <Field label={t("productLine")} hint={line ? t("fromLine", { importance: line.importance, department: line.department.name }) : t("noLineHint")}>
          <Select value={form.productLineId} onChange={(e) => set("productLineId", e.target.value)} data-testid="cap-line">
            <option value="">{t("newLine")}</option>
            {lines.data?.map((l) => (
              <option key={l.id} value={l.id}>
                {l.code} · {"★".repeat(l.importance)}
              </option>
            ))}
          </Select>
        </Field>
        {line ? null : (
          <div className="grid grid-cols-2 gap-2">
            <Field label={t("importance")}>
              <Select value={form.importance} onChange={(e) => set("importance", e.target.value)} data-testid="cap-importance">
                {[5, 4, 3, 2, 1].map((i) => (
                  <option key={i} value={i}>
                    {"★".repeat(i)}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t("department")}>
              <Select value={form.departmentId} onChange={(e) => set("departmentId", e.target.value)}>
                <option value="">—</option>
                {departments.data?.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        )}
      </div>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <Field label={t("replicas")} hint={t("replicasHint")} error={fieldError("replicas")}>
          <Input type="number" min={1} max={9} value={form.replicas} onChange={(e) => set("replicas", e.target.value)} data-testid="cap-replicas" />
        </Field>
        <Field label={t("crossIdc")}>
          <label className="flex items-center gap-2 py-1.5 text-sm">
            <input type="checkbox" checked={form.crossIdc} onChange={(e) => set("crossIdc", e.target.checked)} /> {t("crossIdcHint")}
          </label>
        </Field>
        <Field label={t("capService")} hint={t("capHint")}>
          <Input type="number" value={form.capServiceId} onChange={(e) => set("capServiceId", e.target.value)} placeholder={t("serviceId")} />
        </Field>
        <Field label={t("capMax")} error={fieldError("hostCap")}>
          <Input type="number" value={form.capMax} onChange={(e) => set("capMax", e.target.value)} />
        </Field>
      </div>
    </div>
  );
}
