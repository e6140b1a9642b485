import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

export type UserRow = inferRouterOutputs<AppRouter>["admin"]["users"][number];
export const ROLES = ["ADMIN", "DBA", "NOC", "BUSINESS"] as const;
export type RoleName = (typeof ROLES)[number];
