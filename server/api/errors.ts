import { TRPCError } from "@trpc/server";
import { DomainError, type DomainErrorKind } from "../domain/errors";

const CODES: Record<DomainErrorKind, TRPCError["code"]> = {
  BAD_INPUT: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  PRECONDITION: "PRECONDITION_FAILED",
};

type PrismaKnownError = { code: string; meta?: { target?: unknown; modelName?: string; driverAdapterError?: unknown } };

/** The one place where domain and database errors become HTTP-visible tRPC errors. */
export function toTRPCError(e: unknown): unknown {
  if (e instanceof TRPCError) return e;
  if (e instanceof DomainError) return new TRPCError({ code: CODES[e.kind], message: e.message, cause: e });
  const known = e as PrismaKnownError;
  // Races the domain's own checks could not see (two requests at once) still end as a 409, not a 500.
  if (known && typeof known.code === "string") {
    if (known.code === "P2002") {
      return new TRPCError({ code: "CONFLICT", message: "that record already exists (another change got there first); reload and try again", cause: e });
    }
    if (known.code === "P2025") return new TRPCError({ code: "NOT_FOUND", message: "the record no longer exists; reload the page", cause: e });
    if (known.code === "P2003") {
      return new TRPCError({ code: "PRECONDITION_FAILED", message: "the record is still referenced by others; remove those first", cause: e });
    }
  }
  return e;
}
