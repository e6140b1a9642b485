import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Out = inferRouterOutputs<AppRouter>;
export type SoftwareVersion = Out["catalog"]["versions"][number];
export type Spec = Out["catalog"]["specs"][number];
export type PortRange = Out["catalog"]["portRanges"][number];
