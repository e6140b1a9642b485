"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";

export function UserMenu({ username, role }: { username: string; role: string }) {
  const t = useTranslations("nav");
  return (
    <div className="flex items-center gap-3 text-sm">
      <Link href="/profile" className="text-slate-600 hover:text-slate-900" data-testid="whoami" title={t("profile")}>
        {username} · <span className="font-medium text-slate-800">{t(`roles.${role}`)}</span>
      </Link>
      <button type="button" className="rounded px-2 py-1 text-slate-600 hover:bg-slate-100" onClick={() => signOut({ callbackUrl: "/signin" })}>
        {t("signOut")}
      </button>
    </div>
  );
}
