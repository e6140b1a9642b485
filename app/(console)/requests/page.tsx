import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requestsFirstPage } from "@/components/requests/defaults";
import { RequestsTable } from "@/components/requests/requests-table";
import { SizingRules } from "@/components/requests/sizing-rules";
import { Forbidden } from "@/components/shell/forbidden";
import { rolesFor } from "@/components/shell/nav";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function RequestsPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, rolesFor("/requests"));
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("requests.list");
  const canDecide = actor.role === "DBA" || actor.role === "ADMIN";
  const canRequest = rolesFor("/requests/new").includes(actor.role);
  prefetch(trpc.requests.list.queryOptions(requestsFirstPage(canDecide)));
  prefetch(trpc.productLines.list.queryOptions({}));
  return (
    <HydrateClient>
      <PageHeader
        title={t("title")}
        subtitle={actor.role === "BUSINESS" ? t("subtitleScoped") : canDecide ? t("subtitleDba") : t("subtitle")}
        actions={
          canRequest ? (
            <Link
              href="/requests/new"
              className="inline-flex items-center gap-1.5 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500"
              data-testid="req-new"
            >
              + {t("new")}
            </Link>
          ) : null
        }
      />
      <RequestsTable canDecide={canDecide} isBusiness={actor.role === "BUSINESS"} />
      {canDecide ? (
        <div className="mt-4">
          <SizingRules />
        </div>
      ) : null}
    </HydrateClient>
  );
}
