"use client";

import { useFormatter, useNow, useTranslations } from "next-intl";
import { Badge, type Tone } from "@/components/ui/badge";
import type { RequestStatus } from "./types";

/** Blue while Hedwig works, amber while a person must act, green delivered, red refused or failed. */
const TONE: Record<RequestStatus, Tone> = {
  DRAFT: "slate",
  SUBMITTED: "amber",
  APPROVED: "blue",
  PROVISIONING: "violet",
  DELIVERED: "green",
  REJECTED: "red",
  FAILED: "red",
  CANCELLED: "slate",
};

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const t = useTranslations("requests.statuses");
  return (
    <Badge tone={TONE[status]} className="uppercase tracking-wide">
      <span data-testid="req-status" data-status={status}>
        {t(status)}
      </span>
    </Badge>
  );
}

/** "3 hours ago"; the server and the browser may disagree by a second, so no hydration warning. */
export function Age({ at }: { at: Date }) {
  const format = useFormatter();
  const now = useNow({ updateInterval: 30_000 });
  return (
    <time dateTime={at.toISOString()} title={format.dateTime(at, { dateStyle: "medium", timeStyle: "short" })} suppressHydrationWarning>
      {format.relativeTime(at, { now, style: "narrow" })}
    </time>
  );
}
