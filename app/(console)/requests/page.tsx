import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requestsFirstPage } from "@/components/requests/defaults";
import { RequestsTable } from "@/components/requests/requests-table";
import { SizingRules } from "@/components/requests/sizing-rules";
import { Forbidden } from "@/components/shell/forbidden";
import { can, isScoped } from "@/lib/roles";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function RequestsPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/requests");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("requests.list");
  const canDecide = can(actor.role, "operate");
  const canRequest = can(actor.role, "request");
  prefetch(trpc.requests.list.queryOptions(requestsFirstPage(canDecide)));
  prefetch(trpc.productLines.list.queryOptions({}));
  return (
    <HydrateClient>
      <PageHeader
        title={t("title")}
        subtitle={isScoped(actor.role) ? t("subtitleScoped") : canDecide ? t("subtitleDba") : t("subtitle")}
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
      <RequestsTable canDecide={canDecide} isBusiness={isScoped(actor.role)} />
      {canDecide ? (
        <div className="mt-4">
          <SizingRules />
        </div>
      ) : null}
    </HydrateClient>
  );
}
