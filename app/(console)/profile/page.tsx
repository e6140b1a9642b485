import { getTranslations } from "next-intl/server";
import { headers } from "next/headers";
import { ApiTokens } from "@/components/profile/api-tokens";
import { Forbidden } from "@/components/shell/forbidden";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function ProfilePage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/profile");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("profile");
  const h = await headers();
  // The address the browser used, for the `hedwig login` line shown with a new token.
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost"}`;
  prefetch(trpc.tokens.list.queryOptions());
  return (
    <HydrateClient>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <ApiTokens role={actor.role} origin={origin} />
    </HydrateClient>
  );
}
