"use client";

import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

export function SignInForm({ callbackUrl, directory }: { callbackUrl: string; directory: string | null }) {
  const t = useTranslations("signin");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", { username: form.get("username"), password: form.get("password"), redirect: false });
    setBusy(false);
    if (res?.ok) window.location.assign(callbackUrl);
    else {
      // A throttled sign-in says how long to wait ("throttled:SECONDS", from the server).
      const wait = /^throttled:(\d+)$/.exec(res?.error ?? "");
      setError(wait ? t("throttled", { seconds: Number(wait[1]) }) : t("failed"));
    }
  }
  return (
    <form onSubmit={submit} className="space-y-4">
      <Field label={t("username")}>
        <Input name="username" autoComplete="username" required autoFocus />
      </Field>
      <Field label={t("password")}>
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      {error ? (
        <p role="alert" className="text-sm text-rose-600">
          {error}
        </p>
      ) : null}
      <Button type="submit" variant="primary" className="w-full justify-center" disabled={busy}>
        {busy ? t("signingIn") : t("submit")}
      </Button>
      {directory ? (
        <Button className="w-full justify-center" onClick={() => signIn("oidc", { callbackUrl })}>
          {t("directory", { name: directory })}
        </Button>
      ) : null}
    </form>
  );
}
