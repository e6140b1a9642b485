"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";

/** Instances show on the service, instance and host pages alike; a change refreshes all of them. */
export function useInstancesChanged() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: trpc.services.pathKey() }), qc.invalidateQueries({ queryKey: trpc.hosts.pathKey() })]);
}
