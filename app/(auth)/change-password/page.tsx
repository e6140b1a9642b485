import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Logo } from "@/components/shell/logo";
import { LocaleSwitch } from "@/components/shell/locale-switch";
import { ChangePasswordForm } from "@/components/shell/change-password-form";
import { db } from "@/server/db/client";
import { loadActor } from "@/server/domain/access/actor";
import { currentUserId } from "@/server/auth/session";

/** Where a fresh install's admin lands until they choose their own password (and where anyone changes theirs). */
export default async function ChangePasswordPage() {
  const id = await currentUserId();
  const actor = id === null ? null : await loadActor(db(), id);
  if (!actor) redirect("/signin");
  const t = await getTranslations("signin");
  return (
    <div className="flex min-h-screen items-center justify-center bg-slate-900 px-4">
      <div className="w-full max-w-sm rounded-xl bg-white p-7 shadow-xl">
        <div className="mb-5 flex items-center justify-between">
          <div className="flex items-center gap-2 text-2xl font-semibold">
            <Logo /> Hedwig
          </div>
          <LocaleSwitch />
        </div>
        <h1 className="mb-1 text-lg font-semibold">{t("changeTitle")}</h1>
        {actor.mustChangePassword ? (
          <p className="mb-4 text-sm text-amber-700" data-testid="must-change">
            {t("mustChange")}
          </p>
        ) : null}
        <ChangePasswordForm username={actor.username} />
      </div>
    </div>
  );
}
