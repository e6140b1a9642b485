import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

export type BoardData = inferRouterOutputs<AppRouter>["board"]["get"];
export type Group = BoardData["groups"][number];
export type Tile = Group["problems"][number];
export type Chip = Group["healthy"][number];
