"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CheckList } from "@/components/ui/check-list";
import { Dialog } from "@/components/ui/dialog";
import { ErrorNote } from "@/components/ui/error-note";
import { useTRPC } from "@/trpc/client";
import type { ProductLineRow } from "./types";

/** ADMIN replaces a product line's member list; membership is what lets a BUSINESS user see the line. */
export function MembersDialog({ line, onClose }: { line: ProductLineRow; onClose: () => void }) {
  const t = useTranslations("productLines");
  const tc = useTranslations("common");
  const tn = useTranslations("nav");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const users = useQuery(trpc.admin.users.queryOptions({}));
  const [userIds, setUserIds] = useState(() => line.members.map((m) => m.id));
  const save = useMutation(
    trpc.productLines.setMembers.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.productLines.pathKey() });
        void qc.invalidateQueries({ queryKey: trpc.admin.users.queryKey() });
        onClose();
      },
    }),
  );
  const options = (users.data ?? []).map((u) => ({ value: u.id, label: `${u.username} · ${u.displayName}`, hint: tn(`roles.${u.role}`) }));

  return (
    <Dialog open onClose={onClose} title={t("membersOf", { code: line.code })}>
      <div className="space-y-3">
        <ErrorNote error={users.error} />
        <CheckList options={options} value={userIds} onChange={setUserIds} filterPlaceholder={t("filterUsers")} testId="pl-members-list" />
        <ErrorNote error={save.error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>{tc("cancel")}</Button>
          <Button
            variant="primary"
            disabled={save.isPending || !users.data}
            onClick={() => save.mutate({ productLineId: line.id, userIds })}
            data-testid="pl-members-save"
          >
            {tc("save")}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
