import { apiLocale, bearerOf, plainError } from "@/server/api/rest";
import { createCaller } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { refuseRequest } from "@/server/api/request-guard";
import { clientAddress } from "@/server/auth/client-address";
import { currentUserId } from "@/server/auth/session";
import { jobLogAfter } from "@/server/domain/jobs/jobs";
import { db } from "@/server/db/client";
import { DomainError } from "@/server/domain/errors";
import { renderIn } from "@/i18n/load";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";

export const dynamic = "force-dynamic";

const POLL_MS = 500;

/**
 * A job's log as NDJSON, live: one {"type":"log",…} line per log row, then {"type":"end","status"}
 * once the job has finished and every row was sent. The job is read through the jobs.get procedure,
 * so who may watch it is decided where the rest of the API decides it.
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const bearer = bearerOf(req.headers);
  if (!bearer) {
    const refused = refuseRequest("GET", req.headers);
    if (refused) return Response.json({ code: refused.code, message: refused.message, field: null }, { status: refused.status });
  }
  const ctx = createContext(bearer ? null : await currentUserId(), db(), {
    bearer: bearer ? { secret: bearer, ip: clientAddress(Object.fromEntries(req.headers)) } : undefined,
    locale: apiLocale(req.headers),
  });
  const caller = createCaller(ctx);
  try {
    await caller.jobs.get({ id });
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    // A server-side call skips the error formatter: the refusal's text code is rendered here.
    const said = e.cause instanceof DomainError ? (e.cause.text ?? null) : null;
    const message = said ? renderIn(ctx.locale, said) : e.message;
    return plainError(Response.json({ code: e.code, message, data: { text: said } }, { status: getHTTPStatusCodeFromError(e) }));
  }
  const encoder = new TextEncoder();
  let stopped = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(out) {
      const send = (o: unknown) => out.enqueue(encoder.encode(JSON.stringify(o) + "\n"));
      let after = BigInt(0);
      while (!stopped) {
        const job = await caller.jobs.get({ id });
        const rows = await jobLogAfter(ctx.db, id, after);
        for (const r of rows) send({ type: "log", ...r });
        if (rows.length) after = BigInt(rows[rows.length - 1]!.id);
        const done = job.status === "SUCCEEDED" || job.status === "FAILED";
        if (done && rows.length === 0) {
          send({ type: "end", status: job.status, error: job.error });
          break;
        }
        if (rows.length === 0) await new Promise((r) => setTimeout(r, POLL_MS));
      }
      out.close();
    },
    cancel() {
      stopped = true;
    },
  });
  return new Response(stream, { headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" } });
}
