import { TRPCError } from "@trpc/server";
import { english } from "../../i18n/load";
import { text, type Text } from "../../lib/text";
import { DomainError, type DomainErrorKind } from "../domain/errors";

const CODES: Record<DomainErrorKind, TRPCError["code"]> = {
  BAD_INPUT: "BAD_REQUEST",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  PRECONDITION: "PRECONDITION_FAILED",
};

type PrismaKnownError = { code: string; meta?: { target?: unknown; modelName?: string; driverAdapterError?: unknown } };

/** PostgreSQL's SQLSTATE behind a Prisma error raised through the pg driver adapter. */
const driverCode = (e: PrismaKnownError): string | undefined => {
  const adapter = e.meta?.driverAdapterError as { cause?: { originalCode?: string }; originalCode?: string } | undefined;
  return adapter?.cause?.originalCode ?? adapter?.originalCode;
};

/** A tRPC error whose message is a text code: English in `message`, the reader's language from the error formatter. */
export const textError = (code: TRPCError["code"], t: Text, cause?: unknown) => {
  const e = new TRPCError({ code, message: english(t), cause: new DomainError("BAD_INPUT", t) });
  if (cause) Object.assign(e.cause!, { cause });
  return e;
};

/** The one place where domain and database errors become HTTP-visible tRPC errors. */
export function toTRPCError(e: unknown): unknown {
  if (e instanceof TRPCError) return e;
  if (e instanceof DomainError) return new TRPCError({ code: CODES[e.kind], message: e.message, cause: e });
  const known = e as PrismaKnownError;
  // Races the domain's own checks could not see (two requests at once) still end as a 409, not a 500.
  if (known && typeof known.code === "string") {
    if (known.code === "P2002") {
      return textError("CONFLICT", text("errors.api.exists"), e);
    }
    if (known.code === "P2025") return textError("NOT_FOUND", text("errors.api.gone"), e);
    // A value the column cannot hold that the input schema let through (int4 overflow, a year PostgreSQL
    // cannot store): still the caller's input, so a 400, never the driver's text as a 500.
    if (known.code === "P2000" || known.code === "P2020" || known.code === "P2033" || driverCode(known) === "22003" || driverCode(known) === "22008") {
      return textError("BAD_REQUEST", text("errors.api.outOfRange"), e);
    }
    // Text PostgreSQL cannot store (a NUL character, bytes that are not UTF-8).
    if (driverCode(known) === "22021" || driverCode(known) === "22P05") {
      return textError("BAD_REQUEST", text("errors.api.badCharacter"), e);
    }
    if (known.code === "P2003") {
      return textError("PRECONDITION_FAILED", text("errors.api.referenced"), e);
    }
  }
  if ((e as Error)?.name === "PrismaClientValidationError" && /Unable to fit|out of range|Invalid value/i.test((e as Error).message)) {
    return textError("BAD_REQUEST", text("errors.api.outOfRange"), e);
  }
  return e;
}
