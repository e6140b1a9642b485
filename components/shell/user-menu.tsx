"use client";

import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";

export function UserMenu({ username, role }: { username: string; role: string }) {
  const t = useTranslations("nav");
  return (
    <div className="flex items-center gap-3 text-sm">
      <span className="text-slate-600" data-testid="whoami">
        {username} · <span className="font-medium text-slate-800">{t(`roles.${role}`)}</span>
      </span>
      <button type="button" className="rounded px-2 py-1 text-slate-600 hover:bg-slate-100" onClick={() => signOut({ callbackUrl: "/signin" })}>
        {t("signOut")}
      </button>
    </div>
  );
}
