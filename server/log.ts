import { randomUUID } from "node:crypto";
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

/**
 * The process's structured log: one JSON object per line on stdout (what a log shipper reads),
 * or pino-pretty's coloured lines in development (`npm run dev`, or HEDWIG_LOG_PRETTY=1).
 * Children carry the ids that tie lines together: `worker`, `job`, `req`.
 */
export type Log = Logger;

// Anything that might hold a secret is masked even if a caller passes it by mistake.
const REDACT = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.cookie",
  "*.headers.cookie",
  "privateKey",
  "*.privateKey",
];

function create(): Logger {
  const level = process.env.HEDWIG_LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info");
  const options = { level, base: { pid: process.pid }, redact: { paths: REDACT, censor: "***" } };
  const wantPretty = process.env.HEDWIG_LOG_PRETTY ? process.env.HEDWIG_LOG_PRETTY === "1" : process.env.NODE_ENV === "development";
  // synchronous pretty stream: no worker thread, so it also works inside Next's server bundle
  return wantPretty ? pino(options, pretty({ sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid" })) : pino(options);
}

const globalForLog = globalThis as unknown as { hedwigLog?: Logger };

/** The process-wide root logger (one per process, also across Next's module instances). */
export const log: Logger = (globalForLog.hedwigLog ??= create());

/** A request's id: the one a proxy in front sent (X-Request-Id, if sane), else a new one. */
export function requestIdOf(headers: Headers): string {
  const sent = headers.get("x-request-id");
  return sent && /^[\w.:-]{1,100}$/.test(sent) ? sent : randomUUID();
}

/** An error as the log keeps it: message and stack, never the object (a driver's error may carry its query's values). */
export function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
