import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Out = inferRouterOutputs<AppRouter>;
export type ImportReport = Out["import"]["preview"];
export type ImportRow = ImportReport["rows"][number];
export type ImportResult = Out["import"]["commit"];
export type ImportKind = ImportReport["kind"];

/** The import's caps, repeated here so the browser can refuse a large file before sending it. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** As the server decides: JSON when the text opens an array (or an object), CSV otherwise. */
export function detectFormat(text: string): "csv" | "json" {
  const first = text.replace(/^\uFEFF/, "").trimStart()[0];
  return first === "[" || first === "{" ? "json" : "csv";
}
