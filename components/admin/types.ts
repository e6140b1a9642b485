import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

export type UserRow = inferRouterOutputs<AppRouter>["admin"]["users"][number];
export { ROLES } from "@/lib/roles";
export type { Role as RoleName } from "@/generated/prisma/enums";
