"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { Field, Input } from "@/components/ui/field";
import { fieldErrors } from "@/components/ui/field-errors";
import { useTRPC } from "@/trpc/client";
import type { UserRow } from "./types";

export function PasswordDialog({ user, onClose, onDone }: { user: UserRow; onClose: () => void; onDone: () => void }) {
  const t = useTranslations("users");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const [password, setPassword] = useState("");
  const reset = useMutation(trpc.admin.updateUser.mutationOptions({ onSuccess: onDone }));
  const error = fieldErrors(reset.error).err("password");
  return (
    <Dialog open onClose={onClose} title={t("resetPasswordOf", { username: user.username })}>
      <form
        className="space-y-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          reset.mutate({ id: user.id, password });
        }}
      >
        <Field label={t("newPassword")} hint={t("passwordHint")} error={error}>
          <Input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            name="password"
            data-testid="user-new-password"
          />
        </Field>
        <ErrorNote error={error ? null : reset.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button type="submit" variant="primary" disabled={reset.isPending} data-testid="user-password-save">
            {t("resetPassword")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
