"use client";

import { useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";

const RUN_TONE: Record<string, Tone> = { RUNNING: "blue", SUCCEEDED: "green", FAILED: "red", NOTHING_TO_DO: "slate" };
const MEMBER_TONE: Record<string, Tone> = { ENABLED: "green", DRAINING: "amber", DISABLED: "slate" };

export function RunStatus({ status }: { status: string }) {
  const t = useTranslations("libra.runStatus");
  return <Badge tone={RUN_TONE[status]}>{t(status)}</Badge>;
}

export function MemberState({ state }: { state: string }) {
  const t = useTranslations("libra.memberState");
  return <Badge tone={MEMBER_TONE[state]}>{t(state)}</Badge>;
}

export function BackendBadge({ backend }: { backend: string }) {
  return <Badge tone={backend === "HAPROXY" ? "violet" : "blue"}>{backend === "HAPROXY" ? "HAProxy" : "LVS · keepalived"}</Badge>;
}

/** A plain table for Libra's short lists (pools, versions, runs); header cells from the catalog. */
export function SimpleTable({ head, children, testId }: { head: React.ReactNode[]; children: React.ReactNode; testId?: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm" data-testid={testId}>
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            {head.map((h, i) => (
              <th key={i} className="px-2 py-1.5 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export const td = "px-2 py-1.5 align-top";
