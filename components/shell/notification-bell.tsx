"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { useHealthText } from "@/components/health/use-health-text";
import { useText } from "@/components/ui/use-text";
import type { TextParams } from "@/lib/text";
import { useTRPC } from "@/trpc/client";

/** Delivered and rejected requests reach their requester here (checked every 15 s). */
export function NotificationBell() {
  const t = useTranslations("nav");
  const tx = useText();
  const format = useFormatter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const list = useQuery({ ...trpc.me.notifications.queryOptions(), refetchInterval: 15_000 });
  const read = useMutation(
    trpc.me.markNotificationsRead.mutationOptions({ onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.me.notifications.queryKey() }) }),
  );
  const unread = list.data?.unread ?? 0;
  // Coded notices are rendered in the page's language: incident notices (a bare code, their
  // durations live) through the health texts, the others by their message key; older ones carry their text.
  const health = useHealthText(new Date());
  const text = (n: { code: string | null; params: unknown; title: string; body: string }) => {
    if (!n.code) return { title: n.title, body: n.body };
    if (!n.code.includes(".")) return health.notice({ code: n.code, params: (n.params ?? {}) as Record<string, unknown> });
    const params = (n.params ?? {}) as TextParams;
    return { title: tx({ code: `${n.code}.title`, params }), body: tx({ code: `${n.code}.body`, params }) };
  };
  return (
    <div className="relative">
      <button
        type="button"
        className="relative rounded px-2 py-1 text-sm text-slate-600 hover:bg-slate-100"
        onClick={() => {
          setOpen(!open);
          if (!open && unread > 0) read.mutate();
        }}
        aria-label={t("notifications")}
        data-testid="notifications"
      >
        {t("notifications")}
        {unread > 0 ? (
          <span className="ml-1 rounded-full bg-rose-600 px-1.5 text-xs font-semibold text-white" data-testid="notifications-unread">
            {unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div className="absolute right-0 z-20 mt-1 w-96 rounded-lg bg-white shadow-lg ring-1 ring-slate-200" data-testid="notifications-list">
          {list.data?.rows.length ? (
            <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
              {list.data.rows.map((n) => (
                <li key={n.id} className="px-3 py-2 text-sm" data-testid="notification" data-code={n.code ?? ""}>
                  <Link href={n.link ?? "#"} className="font-medium text-indigo-700 hover:underline" onClick={() => setOpen(false)}>
                    {text(n).title}
                  </Link>
                  <p className="text-slate-600">{text(n).body}</p>
                  <p className="text-xs text-slate-400">{format.relativeTime(n.createdAt)}</p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="px-3 py-4 text-sm text-slate-500">{t("noNotifications")}</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
