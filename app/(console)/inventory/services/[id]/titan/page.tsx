import { notFound } from "next/navigation";
import { TitanView } from "@/components/monitoring/titan-view";
import { Forbidden } from "@/components/shell/forbidden";
import { missingRole, requireActor } from "@/server/auth/page-guard";

export default async function TitanPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const missing = missingRole(actor, "/inventory/services");
  if (missing) return <Forbidden roles={missing} />;
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0) notFound();
  return <TitanView serviceId={id} />;
}
