"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState } from "react";
import { Card } from "@/components/ui/card";
import { ErrorNote } from "@/components/ui/error-note";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";
import { AllocationsTable } from "./allocations-table";
import { CapacityFormFields, INITIAL_FORM, toCapacityInput, type CapacityForm } from "./capacity-form";
import { CapacityResultView } from "./capacity-result";
import { PlacementPanel } from "./placement-panel";
import { SchedulerSettings } from "./scheduler-settings";

/** The answer follows the form as it is typed: the count is a fraction of a millisecond on the server. */
export function CapacityView({ canWrite }: { canWrite: boolean }) {
  const trpc = useTRPC();
  const [form, setForm] = useState<CapacityForm>(INITIAL_FORM);
  const input = toCapacityInput(useDeferredValue(form));
  const result = useQuery({ ...trpc.scheduler.capacity.queryOptions(input), placeholderData: keepPreviousData, retry: false });
  const { err, any } = fieldErrors(result.error);
  return (
    <div className="space-y-4">
      <Card>
        <CapacityFormFields form={form} onChange={setForm} fieldError={err} />
      </Card>
      {result.error && !any ? <ErrorNote error={result.error} /> : null}
      {result.data && !result.error ? <CapacityResultView r={result.data} /> : null}
      {canWrite ? <PlacementPanel form={form} /> : null}
      <AllocationsTable canWrite={canWrite} />
      <SchedulerSettings canWrite={canWrite} />
    </div>
  );
}
