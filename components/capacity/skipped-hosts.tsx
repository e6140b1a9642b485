"use client";

import { useTranslations } from "next-intl";
import type { SkippedHost } from "@/server/domain/scheduler/snapshot";

/** Hosts the scheduler left out because a row of theirs cannot be true: named, so the DBA fixes the row. */
export function SkippedHostsNote({ hosts, testId, className = "" }: { hosts: readonly SkippedHost[]; testId: string; className?: string }) {
  const t = useTranslations("capacity.skippedHosts");
  if (hosts.length === 0) return null;
  return (
    <div role="status" className={`${className} rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200`} data-testid={testId}>
      <p className="font-medium">{t("title", { count: hosts.length })}</p>
      <ul className="mt-1 list-disc space-y-0.5 pl-5">
        {hosts.map((h) => (
          <li key={h.hostId}>{t(h.reason, { ip: h.ip, id: h.hostId, field: h.field, value: h.value })}</li>
        ))}
      </ul>
      <p className="mt-1 text-xs text-amber-800">{t("hint")}</p>
    </div>
  );
}
