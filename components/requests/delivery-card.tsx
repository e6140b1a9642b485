"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { MemcachedNoAuthNote, redisCliLine } from "@/components/services/credentials-card";
import { DeliveryState } from "./delivery-state";
import type { RequestDetail } from "./types";

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Entry = { host: string; port: number; via?: string };

// Shown as the entry, the command and the service link; every other key is listed below them.
const SHOWN_ABOVE = new Set(["entry", "service", "serviceId", "appUser"]);

const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The delivery is JSON written by the provisioning job; its entry is { host, port, via }. */
function entryOf(d: Record<string, Json>): Entry | null {
  const e = d.entry;
  if (isObject(e) && typeof e.host === "string" && typeof e.port === "number")
    return { host: e.host, port: e.port, via: typeof e.via === "string" ? e.via : undefined };
  return null;
}

/** "entryHost" → "entry host": keys are the job's, shown as words. */
const words = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();

/** A key the catalogue names (requests.delivery.keys) in the page's language, else as words. */
function useKeyName() {
  const t = useTranslations("requests.delivery.keys");
  return (key: string) => (t.has(key) ? t(key) : words(key));
}

function Value({ v }: { v: Json }) {
  const name = useKeyName();
  if (v === null) return <span className="text-slate-400">—</span>;
  if (Array.isArray(v)) {
    // A list of records (the topology) reads best as a table with one column per key.
    if (v.length > 0 && v.every(isObject)) {
      const cols = [...new Set(v.flatMap((row) => Object.keys(row)))];
      return (
        <table className="min-w-full text-sm">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              {cols.map((c) => (
                <th key={c} className="py-1 pr-4">
                  {name(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {v.map((row, i) => (
              <tr key={i}>
                {cols.map((c) => (
                  <td key={c} className="py-1 pr-4 font-mono text-xs">
                    <Value v={row[c] ?? null} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    return <span className="font-mono">{v.map((x) => (isObject(x) || Array.isArray(x) ? JSON.stringify(x) : String(x))).join(", ")}</span>;
  }
  if (isObject(v)) return <Fields d={v} />;
  return <span className="font-mono">{String(v)}</span>;
}

function Fields({ d }: { d: Record<string, Json> }) {
  const name = useKeyName();
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      {Object.entries(d).map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-500">{name(k)}</dt>
          <dd className="min-w-0 overflow-x-auto">
            <Value v={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function CopyCommand({ command }: { command: string }) {
  const t = useTranslations("requests.delivery");
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard.writeText(command).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    });
  return (
    <div className="flex items-stretch gap-2">
      <code className="flex-1 overflow-x-auto whitespace-nowrap rounded-md bg-slate-900 px-3 py-2 font-mono text-sm text-emerald-300" data-testid="req-command">
        {command}
      </code>
      <Button onClick={copy} data-testid="req-copy">
        {copied ? t("copied") : t("copy")}
      </Button>
    </div>
  );
}

/** What the requester came for: where to connect, a command that proves it works, and the service. */
export function DeliveryCard({ request }: { request: RequestDetail }) {
  const t = useTranslations("requests.delivery");
  const tc = useTranslations("credentials");
  if (!isObject(request.delivery)) return null;
  const rest = Object.fromEntries(Object.entries(request.delivery).filter(([k]) => !SHOWN_ABOVE.has(k)));
  const entry = entryOf(request.delivery);
  const memcached = request.kind === "MEMCACHED" || request.kind === "MEMCACHED_TWEMPROXY";
  // the user name only: redis-cli asks for the password, which the service page reveals (audited)
  const appUser = typeof request.delivery.appUser === "string" ? request.delivery.appUser : null;
  const command = entry
    ? memcached
      ? `printf 'stats\\r\\n' | nc ${entry.host} ${entry.port}`
      : appUser
        ? redisCliLine(entry.host, entry.port, appUser)
        : `redis-cli -h ${entry.host} -p ${entry.port}`
    : null;
  const serviceId = request.service?.id ?? (typeof request.delivery.serviceId === "number" ? request.delivery.serviceId : null);
  const serviceName = request.service?.name ?? (typeof request.delivery.service === "string" ? request.delivery.service : null);
  return (
    <section className="rounded-lg bg-emerald-50/60 shadow-sm ring-2 ring-emerald-500/60" data-testid="req-delivery">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-emerald-200 px-4 py-2.5">
        <h2 className="text-sm font-semibold text-emerald-900">✓ {t("title")}</h2>
        {serviceId ? (
          <Link href={`/inventory/services/${serviceId}`} className="text-sm font-medium text-indigo-700 hover:underline" data-testid="req-service-link">
            {t("service", { name: serviceName ?? `#${serviceId}` })} →
          </Link>
        ) : null}
      </header>
      <div className="space-y-4 p-4">
        {entry ? (
          <div>
            <div className="text-xs text-slate-600">{t("entry")}</div>
            <div className="font-mono text-2xl font-semibold text-slate-900" data-testid="req-entry">
              {entry.host}:{entry.port}
            </div>
            {entry.via ? <div className="text-xs text-slate-600">{t("via", { via: entry.via })}</div> : null}
          </div>
        ) : null}
        {command ? (
          <div className="space-y-1">
            <div className="text-xs text-slate-600">{t("tryIt")}</div>
            <CopyCommand command={command} />
            {appUser && serviceId ? (
              <p className="text-xs text-slate-600" data-testid="req-password-hint">
                {tc("deliveryPassword")}{" "}
                <Link href={`/inventory/services/${serviceId}`} className="font-medium text-indigo-700 hover:underline" data-testid="req-reveal-link">
                  {tc("revealOnPage")} →
                </Link>
              </p>
            ) : null}
            {memcached ? <MemcachedNoAuthNote className="text-xs text-amber-800" /> : null}
          </div>
        ) : null}
        {serviceId ? <DeliveryState serviceId={serviceId} /> : null}
        {Object.keys(rest).length ? (
          <div className="rounded-md bg-white p-3 ring-1 ring-emerald-200">
            <Fields d={rest} />
          </div>
        ) : null}
      </div>
    </section>
  );
}
