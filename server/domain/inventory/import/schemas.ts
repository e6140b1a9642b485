import { z } from "zod";
import { IMPORT_LIMITS } from "./parse";

export const importKindSchema = z.enum(["hosts", "instances"]);

/** The text as pasted or read from the file; the size cap is checked again in bytes by the domain. */
export const importPreviewSchema = z.object({
  kind: importKindSchema,
  text: z
    .string()
    .max(
      IMPORT_LIMITS.maxBytes,
      `the import takes at most ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB and ${IMPORT_LIMITS.maxRows.toLocaleString("en")} rows; split the file`,
    ),
  format: z.enum(["auto", "csv", "json"]).default("auto"),
});
export type ImportPreviewInput = z.infer<typeof importPreviewSchema>;

export const importCommitSchema = importPreviewSchema.extend({
  /** import the valid rows and skip the others; without it one bad row refuses the whole file */
  onlyValid: z.boolean().default(false),
});
export type ImportCommitInput = z.infer<typeof importCommitSchema>;

export const importExampleSchema = z.object({ kind: importKindSchema });
