import { IMPORT_LIMITS } from "../domain/inventory/import/parse";

/**
 * What the HTTP entry of the API refuses before tRPC reads anything: a mutation must be JSON
 * (an HTML form can post url-encoded, multipart or text/plain across sites, never JSON without
 * CORS), a browser's request must come from Hedwig's own origin, and a body has a size limit.
 * Clients that are not browsers (scripts, curl) send no Origin and are judged by their session.
 */

/** The largest input is an import file (5 MB of text), JSON-escaped and wrapped: twice that is plenty. */
export const MAX_BODY_BYTES = 2 * IMPORT_LIMITS.maxBytes + 64 * 1024;
/** Calls in one batched request; the client batches at most this many (`trpc/client.tsx`). */
export const MAX_BATCH_SIZE = 20;

export type Refusal = { status: number; code: string; message: string };

/** Host the browser addressed, as a proxy in front of Hedwig may forward it. */
function requestHost(headers: Headers): string | null {
  return headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
}

export function refuseRequest(method: string, headers: Headers): Refusal | null {
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite === "cross-site") return { status: 403, code: "FORBIDDEN", message: "requests from other sites are refused" };
  const origin = headers.get("origin");
  if (origin && origin !== "null") {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return { status: 403, code: "FORBIDDEN", message: "the Origin header is not a URL" };
    }
    if (originHost !== requestHost(headers))
      return { status: 403, code: "FORBIDDEN", message: `requests from ${origin} are refused: only Hedwig's own pages may call its API` };
  } else if (origin === "null") {
    return { status: 403, code: "FORBIDDEN", message: "requests from an opaque origin are refused" };
  }
  if (method === "POST") {
    const type = (headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") return { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "send the input as JSON (content-type: application/json)" };
    const length = Number(headers.get("content-length") ?? 0);
    if (length > MAX_BODY_BYTES) return tooLarge();
  }
  return null;
}

export const tooLarge = (): Refusal => ({ status: 413, code: "PAYLOAD_TOO_LARGE", message: `a request body is at most ${MAX_BODY_BYTES} bytes` });

/** The body, read up to the limit (a chunked body has no Content-Length to check first). */
export async function readLimitedBody(req: Request): Promise<string | null> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
