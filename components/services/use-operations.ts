"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/client";

/**
 * The instance operations, each a mutation that queues a job. One error for all of them (the last
 * refusal, cleared by the next try), and the Operations card starts following the new job at once.
 */
export function useOperations() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [error, setError] = useState<{ message: string } | null>(null);
  const handlers = {
    onMutate: () => setError(null),
    onError: (e: { message: string }) => setError(e),
    onSuccess: () => qc.invalidateQueries({ queryKey: trpc.operations.jobs.pathKey() }),
  };
  const m = {
    start: useMutation(trpc.operations.start.mutationOptions(handlers)),
    stop: useMutation(trpc.operations.stop.mutationOptions(handlers)),
    restart: useMutation(trpc.operations.restart.mutationOptions(handlers)),
    maxmemory: useMutation(trpc.operations.maxmemory.mutationOptions(handlers)),
    failover: useMutation(trpc.operations.failover.mutationOptions(handlers)),
    remove: useMutation(trpc.operations.remove.mutationOptions(handlers)),
    cloneProxy: useMutation(trpc.operations.cloneProxy.mutationOptions(handlers)),
    // maintenance windows change no process: the instances are reread, no job to follow
    maintenance: useMutation(
      trpc.operations.maintenance.mutationOptions({ ...handlers, onSuccess: () => qc.invalidateQueries({ queryKey: trpc.services.get.pathKey() }) }),
    ),
    endMaintenance: useMutation(
      trpc.operations.endMaintenance.mutationOptions({ ...handlers, onSuccess: () => qc.invalidateQueries({ queryKey: trpc.services.get.pathKey() }) }),
    ),
  };
  return { ...m, error, pending: Object.values(m).some((x) => x.isPending) };
}

export type Operations = ReturnType<typeof useOperations>;
