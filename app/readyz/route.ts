import { db } from "@/server/db/client";
import { readinessResponse } from "@/server/ops/health";

export const dynamic = "force-dynamic";

/** Readiness for the load balancer: 200 when the database, the queue and the migrations are in order, else 503 naming what is not. */
export async function GET() {
  const { status, body } = await readinessResponse(db());
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}
