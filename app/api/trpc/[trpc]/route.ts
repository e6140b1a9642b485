import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { readerLocale } from "@/i18n/request";
import { appRouter } from "@/server/api/root";
import { MAX_BATCH_SIZE, readLimitedBody, refuseRequest, tooLarge, type Refusal } from "@/server/api/request-guard";
import { createContext } from "@/server/api/trpc";
import { currentUserId } from "@/server/auth/session";
import { errorText, log, requestIdOf } from "@/server/log";

/** A refusal in tRPC's own error shape, so the client shows it like any other error. */
const refused = (r: Refusal) =>
  Response.json({ error: { json: { message: r.message, code: -32600, data: { code: r.code, httpStatus: r.status } } } }, { status: r.status });

const handler = async (req: Request) => {
  const reqId = requestIdOf(req.headers);
  const refusal = refuseRequest(req.method, req.headers);
  if (refusal) return refused(refusal);
  let request = req;
  if (req.method === "POST") {
    const body = await readLimitedBody(req);
    if (body === null) return refused(tooLarge());
    request = new Request(req.url, { method: "POST", headers: req.headers, body });
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: async () => createContext(await currentUserId(), undefined, { locale: await readerLocale() }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") log.error({ part: "trpc", req: reqId, path, err: errorText(error.cause ?? error) }, "tRPC call failed");
    },
  });
};

export { handler as GET, handler as POST };
