import { notFound } from "next/navigation";
import { IncidentDetail } from "@/components/incidents/incident-detail";
import { Forbidden } from "@/components/shell/forbidden";
import { missingRole, requireActor } from "@/server/auth/page-guard";
import { HydrateClient } from "@/trpc/server";

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/incidents");
  if (missing) return <Forbidden roles={missing} />;
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  return (
    <HydrateClient>
      <IncidentDetail id={id} />
    </HydrateClient>
  );
}
