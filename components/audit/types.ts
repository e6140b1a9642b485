import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

export type AuditRow = inferRouterOutputs<AppRouter>["admin"]["audit"]["rows"][number];
