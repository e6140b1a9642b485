import { ServiceKind } from "@/generated/prisma/enums";

const KINDS = new Set<string>(Object.values(ServiceKind));
const TEXT_FIELDS = ["productLineId", "purpose", "capacityGb", "peakQps", "expectedKeys", "idcPreference", "readRatio"] as const;

/**
 * Form fields given in the URL (e.g. the promotions risk list's scale-out request): only known
 * fields, as the typed strings the form keeps; the server still validates everything on sending.
 */
export function prefillFromQuery(q: URLSearchParams | null) {
  const out: Partial<Record<(typeof TEXT_FIELDS)[number], string>> & { kind?: ServiceKind; highAvailability?: boolean } = {};
  if (!q) return out;
  for (const f of TEXT_FIELDS) {
    const v = q.get(f);
    if (v !== null) out[f] = v.slice(0, 500);
  }
  const kind = q.get("kind");
  if (kind && KINDS.has(kind)) out.kind = kind as ServiceKind;
  const ha = q.get("highAvailability");
  if (ha === "1" || ha === "0") out.highAvailability = ha === "1";
  return out;
}
