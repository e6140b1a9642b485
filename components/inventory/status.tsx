import { Badge, type Tone } from "@/components/ui/badge";

const HOST_TONE: Record<string, Tone> = { ONLINE: "green", MAINTENANCE: "amber", OFFLINE: "slate", LOCKED: "violet" };
const SERVICE_TONE: Record<string, Tone> = { PROVISIONING: "blue", ONLINE: "green", OFFLINE: "amber", DECOMMISSIONED: "slate" };
const ROLE_TONE: Record<string, Tone> = { MASTER: "violet", REPLICA: "blue", SENTINEL: "amber", PROXY: "slate", CACHE: "slate" };

export const HostStatusBadge = ({ status, label }: { status: string; label: string }) => <Badge tone={HOST_TONE[status] ?? "slate"}>{label}</Badge>;
export const ServiceStatusBadge = ({ status, label }: { status: string; label: string }) => <Badge tone={SERVICE_TONE[status] ?? "slate"}>{label}</Badge>;
export const InstanceRoleBadge = ({ role, label }: { role: string; label: string }) => <Badge tone={ROLE_TONE[role] ?? "slate"}>{label}</Badge>;

export function LabelChips({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels);
  return (
    <span className="inline-flex flex-wrap gap-1">
      {entries.map(([k, v]) => (
        <span key={k} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-700">
          {k}={v}
        </span>
      ))}
    </span>
  );
}

export const gb = (mb: number) => (mb >= 1024 ? `${(mb / 1024).toFixed(mb % 1024 === 0 ? 0 : 1)} GB` : `${mb} MB`);

/** used/total with a thin bar, red past 90%. */
export function UsageBar({ used, total, format }: { used: number; total: number; format: (n: number) => string }) {
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  return (
    <div className="w-28" title={`${format(used)} / ${format(total)}`}>
      <div className="flex justify-between text-[11px] text-slate-600 tabular-nums">
        <span>{format(used)}</span>
        <span className="text-slate-400">{format(total)}</span>
      </div>
      <div className="mt-0.5 h-1 rounded bg-slate-100">
        <div className={`h-1 rounded ${pct > 90 ? "bg-rose-500" : pct > 75 ? "bg-amber-500" : "bg-emerald-500"}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
