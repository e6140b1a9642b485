/**
 * Errors a person can act on. Domain code throws these; the tRPC layer maps `kind` to an HTTP
 * status in one place (server/api/errors.ts). Anything else is a bug and becomes a 500.
 */
export type DomainErrorKind = "BAD_INPUT" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "PRECONDITION";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** per-field or per-row details for forms and imports */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const badInput = (message: string, details?: unknown) => new DomainError("BAD_INPUT", message, details);
export const notFound = (message: string) => new DomainError("NOT_FOUND", message);
export const conflict = (message: string, details?: unknown) => new DomainError("CONFLICT", message, details);
export const forbidden = (message: string) => new DomainError("FORBIDDEN", message);
export const precondition = (message: string, details?: unknown) => new DomainError("PRECONDITION", message, details);
