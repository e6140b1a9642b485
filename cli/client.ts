import { randomUUID } from "node:crypto";
import { readConfig, type Config } from "./config";
import { EXIT, exitForStatus } from "./exit-codes";

/** A failure with the exit code it maps to; main prints its message and exits with it. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export type Api = {
  get<T>(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  stream(path: string): Promise<ReadableStream<Uint8Array>>;
};

/** The server and token: flags or HEDWIG_URL / HEDWIG_TOKEN first, then the config file of `hedwig login`. */
export async function connection(opts: { url?: string; token?: string }): Promise<Config> {
  const saved = await readConfig();
  const url = opts.url || process.env.HEDWIG_URL || saved?.url;
  const token = opts.token || process.env.HEDWIG_TOKEN || saved?.token;
  if (!url || !token) throw new CliError("not logged in: run `hedwig login --url URL --token TOKEN` first", EXIT.AUTH);
  return { url: url.replace(/\/+$/, ""), token };
}

/** The server's refusals come back in the terminal's language: zh for a zh_* locale, else English. */
export const terminalLanguage = (env: Record<string, string | undefined> = process.env) =>
  /^zh/i.test(env.HEDWIG_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || "") ? "zh-CN" : "en";

export function apiClient(c: Config): Api {
  const request = async (method: string, path: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${c.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${c.token}`,
          "accept-language": terminalLanguage(),
          ...(body !== undefined ? { "content-type": "application/json", "idempotency-key": randomUUID() } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new CliError(`cannot reach ${c.url}: ${(e as Error).cause ?? (e as Error).message}`, EXIT.UNREACHABLE);
    }
    if (!res.ok) {
      const err = (await res.json().catch(() => ({}))) as { code?: string; message?: string; field?: string | null };
      const field = err.field ? ` (${err.field})` : "";
      throw new CliError(`${res.status} ${err.code ?? res.statusText}: ${err.message ?? ""}${field}`, exitForStatus(res.status));
    }
    return res;
  };
  return {
    async get(path, query) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== "") qs.set(k, String(v));
      const res = await request("GET", qs.size ? `${path}?${qs}` : path);
      return res.json();
    },
    async post(path, body = {}) {
      return (await request("POST", path, body)).json();
    },
    async stream(path) {
      const res = await request("GET", path);
      return res.body!;
    },
  };
}
