import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Out = inferRouterOutputs<AppRouter>["promotions"];
export type CalendarRow = Out["list"][number];
export type CompareResult = Out["compare"];
export type CompareRowT = CompareResult["rows"][number];
export type RiskResult = Out["risks"];
export type RiskRowT = RiskResult["rows"][number];
export type OverlayResult = Out["overlay"];
export type BacktestRow = Out["backtest"][number];
