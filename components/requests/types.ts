import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Out = inferRouterOutputs<AppRouter>;
export type RequestRow = Out["requests"]["list"]["rows"][number];
export type RequestDetail = Out["requests"]["get"];
export type RequestPlan = Out["requests"]["preview"];
export type RequestJob = RequestDetail["jobs"][number];
export type RequestStatus = RequestDetail["status"];
export type RequestAction = RequestDetail["actions"][number];
