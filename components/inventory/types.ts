import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Out = inferRouterOutputs<AppRouter>;
export type HostRow = Out["hosts"]["list"]["rows"][number];
export type HostDetail = Out["hosts"]["get"];
