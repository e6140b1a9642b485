import { english } from "../../i18n/load";
import type { Text } from "../../lib/text";

/**
 * Errors a person can act on. Domain code throws these; the tRPC layer maps `kind` to an HTTP
 * status in one place (server/api/errors.ts). Anything else is a bug and becomes a 500.
 * Given a text code, `message` is its English (logs, API callers) and the reader gets their language.
 */
export type DomainErrorKind = "BAD_INPUT" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "PRECONDITION";

export class DomainError extends Error {
  /** the message as a text code with parameters, when the thrower gave one */
  readonly text?: Text;
  constructor(
    readonly kind: DomainErrorKind,
    message: string | Text,
    /** per-field or per-row details for forms and imports */
    readonly details?: unknown,
  ) {
    super(english(message));
    this.name = "DomainError";
    if (typeof message !== "string") this.text = message;
  }
}

export const badInput = (message: string | Text, details?: unknown) => new DomainError("BAD_INPUT", message, details);
export const notFound = (message: string | Text) => new DomainError("NOT_FOUND", message);
export const conflict = (message: string | Text, details?: unknown) => new DomainError("CONFLICT", message, details);
export const forbidden = (message: string | Text) => new DomainError("FORBIDDEN", message);
export const precondition = (message: string | Text, details?: unknown) => new DomainError("PRECONDITION", message, details);

/** What went wrong as a person reads it: the text code of a domain error, else the error's own words. */
export const errorText = (e: unknown): Text | string => (e instanceof DomainError && e.text ? e.text : e instanceof Error ? e.message : String(e));
