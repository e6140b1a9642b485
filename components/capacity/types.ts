import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type In = inferRouterInputs<AppRouter>;
type Out = inferRouterOutputs<AppRouter>;
export type CapacityInput = In["scheduler"]["capacity"];
export type CapacityResult = Out["scheduler"]["capacity"];
export type PlaceResult = Out["scheduler"]["place"];
export type AllocationRow = Out["scheduler"]["allocations"]["rows"][number];
