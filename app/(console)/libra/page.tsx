import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LibraOverview } from "@/components/libra/overview";
import { Templates } from "@/components/libra/templates";
import { Forbidden } from "@/components/shell/forbidden";
import { can } from "@/lib/roles";
import { PageHeader } from "@/components/ui/card";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export default async function LibraPage() {
  const actor = await requireActor();
  const missing = missingRole(actor, "/libra");
  if (missing) return <Forbidden roles={missing} />;
  const t = await getTranslations("libra.overview");
  const canWrite = can(actor.role, "operate");
  prefetch(trpc.libra.pools.queryOptions());
  prefetch(trpc.libra.templates.queryOptions());
  prefetch(trpc.libra.settings.queryOptions());
  return (
    <HydrateClient>
      <PageHeader
        title={t("title")}
        subtitle={t("subtitle")}
        actions={
          canWrite ? (
            <Link
              href="/libra/new"
              className="inline-flex items-center gap-1.5 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500"
              data-testid="libra-new"
            >
              + {t("newApp")}
            </Link>
          ) : null
        }
      />
      <div className="space-y-4">
        <LibraOverview canWrite={canWrite} />
        <Templates canWrite={canWrite} />
      </div>
    </HydrateClient>
  );
}
