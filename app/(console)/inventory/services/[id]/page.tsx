import { notFound } from "next/navigation";
import { ServiceMonitoring } from "@/components/monitoring/service-monitoring";
import { ServiceDetailView } from "@/components/services/service-detail";
import { Forbidden } from "@/components/shell/forbidden";
import { can } from "@/lib/roles";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export default async function ServicePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ resize?: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/inventory/services");
  if (missing) return <Forbidden roles={missing} />;
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  // the promotions risk list's "scale out": the resize card opens with the forecast's shard count
  const resize = Number((await searchParams).resize);
  // Awaited, not streamed: a refused read (another product line's service) is then simply not
  // hydrated, and the client asks again and shows the API's own FORBIDDEN sentence instead of a
  // redacted server error.
  await getQueryClient().prefetchQuery(trpc.services.get.queryOptions({ id }));
  return (
    <HydrateClient>
      <ServiceDetailView
        id={id}
        canWrite={can(actor.role, "operate")}
        canRequest={can(actor.role, "request")}
        showHostLinks={can(actor.role, "readFleet")}
        resizeTo={Number.isInteger(resize) && resize > 0 ? resize : undefined}
      />
      <ServiceMonitoring serviceId={id} canGenerateTraffic={can(actor.role, "operate")} />
    </HydrateClient>
  );
}
