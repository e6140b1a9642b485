import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

export type InstanceRow = inferRouterOutputs<AppRouter>["services"]["instances"]["rows"][number];
