"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";

/**
 * Changes the signed-in user's password. The change ends every session of theirs, this one too,
 * so the form signs in again with the new password before going on.
 */
export function ChangePasswordForm({ username }: { username: string }) {
  const t = useTranslations("signin");
  const trpc = useTRPC();
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(trpc.me.changePassword.mutationOptions());
  const fe = fieldErrors(change.error);
  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = String(form.get("next"));
    setMismatch(next !== String(form.get("confirm")));
    if (next !== String(form.get("confirm"))) return;
    await change.mutateAsync({ current: String(form.get("current")), next });
    const res = await signIn("credentials", { username, password: next, redirect: false });
    window.location.assign(res?.ok ? "/" : "/signin");
  }
  return (
    <form onSubmit={(e) => void submit(e).catch(() => {})} className="space-y-4" noValidate>
      <Field label={t("currentPassword")} error={fe.err("current")}>
        <Input name="current" type="password" autoComplete="current-password" required autoFocus />
      </Field>
      <Field label={t("newPassword")} hint={t("newPasswordHint")} error={fe.err("next")}>
        <Input name="next" type="password" autoComplete="new-password" required />
      </Field>
      <Field label={t("confirmPassword")} error={mismatch ? t("mismatch") : undefined}>
        <Input name="confirm" type="password" autoComplete="new-password" required />
      </Field>
      {change.error && !fe.any ? <ErrorNote error={change.error} /> : null}
      <Button type="submit" variant="primary" className="w-full justify-center" disabled={change.isPending}>
        {t("changeSubmit")}
      </Button>
    </form>
  );
}
