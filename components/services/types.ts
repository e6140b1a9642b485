import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Out = inferRouterOutputs<AppRouter>;
export type ServiceRow = Out["services"]["list"]["rows"][number];
export type ServiceDetail = Out["services"]["get"];
export type ServiceInstance = ServiceDetail["instances"][number];
export type HostMatch = Out["hosts"]["lookup"][number];
