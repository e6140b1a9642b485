import { createHash } from "node:crypto";
import { isLocale, LOCALE_COOKIE, type Locale } from "../../i18n/locales";
import { renderIn } from "../../i18n/load";
import { text, type Text } from "../../lib/text";
import { createOpenApiNodeHttpHandler, generateOpenApiDocument } from "trpc-to-openapi";
import { db as defaultDb, type Db } from "../db/client";
import { clientAddress } from "../auth/client-address";
import { RateLimiter } from "../domain/access/rate-limit";
import { hashToken } from "../domain/tokens/tokens";
import { errorText, log } from "../log";
import { bearerOf } from "./bearer";
import { appRouter, createCaller } from "./root";
import { restRouter } from "./rest-input";
import { readLimitedBody, refuseRequest, tooLarge, type Refusal } from "./request-guard";
import { createContext, type Context } from "./trpc";

/**
 * /api/v1: the procedures that carry `meta.openapi`, as plain JSON over resource paths
 * (trpc-to-openapi calls the same procedures through a server-side caller, so the roles, the
 * product-line scope and the audit are the browser's). A bearer token authenticates a script; a
 * console session may call it too (the reference page's "try it"), under the same Origin check
 * as /api/trpc. Errors answer { code, message, field }.
 */
export const API_BASE = "/api/v1";

/** `text`: the message as a code with parameters (i18n/messages), for a client that renders it itself; null when there is none. */
export type ApiError = { code: string; message: string; field: string | null; text?: Text | null };

/**
 * The language of refusals: the console's cookie (the reference page's "try it"), else
 * Accept-Language (the CLI sends the terminal's), else English.
 */
export function apiLocale(headers: Headers): Locale {
  const cookie = new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([a-z]+)`).exec(headers.get("cookie") ?? "")?.[1];
  if (isLocale(cookie)) return cookie;
  return /^\s*zh\b/i.test(headers.get("accept-language") ?? "") ? "zh" : "en";
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const refusal = (r: Refusal) => json(r.status, { code: r.code, message: r.message, field: null } satisfies ApiError);

export { bearerOf };

type ErrorShape = {
  code?: unknown;
  message?: unknown;
  data?: {
    text?: Text | null;
    issues?: { path?: string; text?: Text | null }[] | null;
    zodError?: { fieldErrors: Record<string, string[]> } | null;
    details?: { field?: unknown } | null;
  };
};

/** trpc-to-openapi answers errors in tRPC's shape; /api/v1 promises { code, message, field }. */
export async function plainError(res: Response): Promise<Response> {
  const body = (await res.json().catch(() => ({}))) as ErrorShape;
  // A bad input names its field: zod's path, or the one a domain refusal names.
  const detailField = body.data?.details?.field;
  const field = body.data?.issues?.[0]?.path || (typeof detailField === "string" ? detailField : null);
  const said = body.data?.text ?? body.data?.issues?.[0]?.text ?? null;
  // trpc-to-openapi replaces a bad input's message with its own English: the formatter's per-field messages are in the caller's language.
  const fieldMessages = body.data?.zodError ? Object.values(body.data.zodError.fieldErrors).flat() : [];
  const message = fieldMessages.length ? fieldMessages.join("; ") : String(body.message ?? res.statusText);
  const out: ApiError = { code: String(body.code ?? "ERROR"), message, field, text: said };
  return json(res.status, out);
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const KEY_MAX = 200;

type Caller = { name: string; tokenId: number | null };

/** Who an Idempotency-Key belongs to: the token (by its hash) or the session's user. */
async function callerOf(db: Db, bearer: string | null, userId: number | null): Promise<Caller | null> {
  if (bearer) {
    const t = await db.apiToken.findUnique({ where: { hash: hashToken(bearer) }, select: { id: true } });
    return t ? { name: `token:${t.id}`, tokenId: t.id } : null;
  }
  return userId === null ? null : { name: `user:${userId}`, tokenId: null };
}

/**
 * A mutation with an Idempotency-Key runs once per caller and key: the first call claims the key
 * (a unique row), a retry gets the stored answer (`Idempotent-Replayed: true`), the same key with
 * another request is a 422, and one still running is a 409. A 5xx or 401 frees the key for a retry.
 */
async function idempotent(db: Db, caller: Caller, key: string, fingerprint: string, run: () => Promise<Response>): Promise<Response> {
  const claimed = await db.idempotentResponse
    .create({ data: { caller: caller.name, tokenId: caller.tokenId, key, fingerprint }, select: { id: true } })
    .catch((e: { code?: string }) => {
      if (e.code === "P2002") return null;
      throw e;
    });
  if (!claimed) {
    const prior = await db.idempotentResponse.findUnique({ where: { caller_key: { caller: caller.name, key } } });
    if (!prior) return json(409, { code: "CONFLICT", message: "this Idempotency-Key was just freed; retry", field: null });
    if (prior.fingerprint !== fingerprint)
      return json(422, { code: "IDEMPOTENCY_KEY_REUSED", message: "this Idempotency-Key was used for another request", field: "Idempotency-Key" });
    if (prior.status === null) return json(409, { code: "CONFLICT", message: "the first request with this Idempotency-Key is still running", field: null });
    return new Response(prior.body, { status: prior.status, headers: { "content-type": "application/json", "idempotent-replayed": "true" } });
  }
  const res = await run();
  const body = await res.text();
  if (res.status >= 500 || res.status === 401) await db.idempotentResponse.delete({ where: { id: claimed.id } });
  else await db.idempotentResponse.update({ where: { id: claimed.id }, data: { status: res.status, body } });
  return new Response(body, { status: res.status, headers: res.headers });
}

/**
 * trpc-to-openapi's handler, built once: its fetch adapter builds a new one (route table, and outside
 * production a whole OpenAPI document to check the router) on every request. The bridge below is
 * that adapter's, with the context handed over per request.
 */
const contexts = new WeakMap<object, Context>();
const openApiHandler = createOpenApiNodeHttpHandler({
  router: restRouter(appRouter, createCaller as never),
  createContext: ({ req }: { req: object }) => contexts.get(req)!,
  onError({ error, path }: { error: { code: string; cause?: unknown }; path?: string }) {
    if (error.code === "INTERNAL_SERVER_ERROR") log.error({ part: "rest", path, err: errorText(error.cause ?? error) }, "REST call failed");
  },
} as never) as unknown as (req: object, res: object) => Promise<void>;

function callOpenApi(request: Request, body: unknown, ctx: Context): Promise<Response> {
  const url = request.url.replace(API_BASE, "");
  const req = new Proxy(request, { get: (target, prop) => (prop === "url" ? url : prop === "body" ? body : Reflect.get(target, prop, target)) });
  contexts.set(req, ctx);
  return new Promise((resolve) => {
    const headers = new Headers();
    let status = 200;
    const res = {
      setHeader: (key: string, value: string | string[]) =>
        typeof value === "string" ? headers.set(key, value) : value.forEach((v) => headers.append(key, v)),
      get statusCode() {
        return status;
      },
      set statusCode(code: number) {
        status = code;
      },
      end: (text: string) => resolve(new Response(text, { status, headers })),
    };
    void openApiHandler(req, res);
  });
}

const defaultLimiter = new RateLimiter();

export async function handleRest(
  req: Request,
  sessionUserId: () => Promise<number | null>,
  db: Db = defaultDb(),
  limiter: RateLimiter = defaultLimiter,
): Promise<Response> {
  const bearer = bearerOf(req.headers);
  // A token is not ambient, so another site cannot make a browser send it: only cookie calls need the Origin check.
  if (!bearer) {
    const refused = refuseRequest(req.method, req.headers);
    if (refused) return refusal(refused);
  } else if (req.method !== "GET" && req.method !== "HEAD") {
    const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json")
      return refusal({ status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "send the input as JSON (content-type: application/json)" });
  }
  let body: string | undefined;
  if (MUTATING.has(req.method)) {
    const read = await readLimitedBody(req);
    if (read === null) return refusal(tooLarge());
    body = read || "{}";
  }
  const userId = bearer ? null : await sessionUserId();
  // Keyed by the token's hash (never the secret) or the session's user; an anonymous call is refused by the procedure anyway.
  const wait = await limiter.take(db, bearer ? `token:${hashToken(bearer)}` : `user:${userId}`);
  if (wait !== null) {
    const said = text("automation.rateLimited", { limit: limiter.perMinute, seconds: wait });
    return json(429, { code: "TOO_MANY_REQUESTS", message: renderIn(apiLocale(req.headers), said), field: null, text: said } satisfies ApiError, {
      "retry-after": String(wait),
    });
  }
  const ip = clientAddress(Object.fromEntries(req.headers));
  const url = new URL(req.url);
  let parsed: unknown;
  try {
    parsed = body === undefined ? undefined : JSON.parse(body);
  } catch {
    return json(400, { code: "PARSE_ERROR", message: "the body is not JSON", field: null } satisfies ApiError);
  }
  const request = new Request(url.toString(), { method: req.method, headers: req.headers });

  const run = async () => {
    const res = await callOpenApi(
      request,
      parsed,
      createContext(userId, db, { bearer: bearer ? { secret: bearer, ip } : undefined, locale: apiLocale(req.headers) }),
    );
    return res.status >= 400 ? plainError(res) : res;
  };

  const key = req.headers.get("idempotency-key");
  if (!key || !MUTATING.has(req.method)) return run();
  if (key.length > KEY_MAX) return json(400, { code: "BAD_REQUEST", message: `an Idempotency-Key is at most ${KEY_MAX} characters`, field: "Idempotency-Key" });
  const caller = await callerOf(db, bearer, userId);
  if (!caller) return run(); // refused by the procedure itself (401)
  const fingerprint = createHash("sha256")
    .update(`${req.method} ${url.pathname}\n${body ?? ""}`)
    .digest("hex");
  return idempotent(db, caller, key, fingerprint, run);
}

/** The log stream is a plain route handler (app/api/v1/jobs/[id]/log), so the document names it by hand. */
const JOB_LOG_PATH = {
  "/jobs/{id}/log": {
    get: {
      operationId: "jobs-log",
      summary: "A job's log, live, as NDJSON: {type:'log',id,stepIndex,at,level,message} lines, then {type:'end',status,error}",
      tags: ["jobs"],
      security: [{ Authorization: [] }],
      parameters: [{ name: "id", in: "path" as const, required: true, schema: { type: "string" as const, format: "uuid" } }],
      responses: {
        "200": { description: "the log, streamed until the job ends", content: { "application/x-ndjson": { schema: { type: "string" as const } } } },
        "401": { description: "no or bad token" },
        "404": { description: "no such job, or not yours to see" },
      },
    },
  },
};

let document: ReturnType<typeof generateOpenApiDocument> | null = null;

/** The OpenAPI 3.1 document of /api/v1, built once from the router's meta and zod schemas. */
export function openApiDocument(baseUrl: string) {
  document ??= generateOpenApiDocument(appRouter, {
    title: "Hedwig API",
    description:
      "Hedwig's automation API: the console's own procedures as plain JSON. Authenticate with `Authorization: Bearer hdw_…` (a token from your profile). " +
      "Errors are `{ code, message, field, text }`: `message` in the language of `Accept-Language` (en, zh), `text` the same as a message code with its parameters. " +
      "Send `Idempotency-Key` on a mutation to make retries safe.",
    version: "1.0.0",
    baseUrl: API_BASE,
    tags: ["services", "instances", "requests", "jobs", "scheduler", "libra", "alerts"],
  });
  return { ...document, servers: [{ url: `${baseUrl}${API_BASE}` }], paths: { ...document.paths, ...JOB_LOG_PATH } };
}
