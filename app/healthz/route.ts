import { aliveBody } from "@/server/ops/health";

export const dynamic = "force-dynamic";

/** Liveness: the process answers. It asks nothing of the database, so a database outage does not get every web process restarted. */
export function GET() {
  return Response.json(aliveBody(), { headers: { "cache-control": "no-store" } });
}
