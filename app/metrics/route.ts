import { db } from "@/server/db/client";
import { clientAddress } from "@/server/auth/client-address";
import { metricsAnswer } from "@/server/ops/metrics";

export const dynamic = "force-dynamic";

/** Prometheus scrape target: the fleet's figures with the catalogue's labels and this process's own; a bearer API token that reads the fleet. */
export async function GET(req: Request) {
  const r = await metricsAnswer(db(), req.headers, clientAddress(Object.fromEntries(req.headers)), { fleet: true });
  return new Response(r.body, { status: r.status, headers: { "content-type": r.contentType, "cache-control": "no-store" } });
}
