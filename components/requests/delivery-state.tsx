"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { InstanceStateCell } from "@/components/instances/instance-state";
import { useTRPC } from "@/trpc/client";

/** The delivered service's processes as they are now (observed beside asked), not as they were delivered. */
export function DeliveryState({ serviceId }: { serviceId: number }) {
  const t = useTranslations("healing.delivery");
  const ti = useTranslations("inventory");
  const trpc = useTRPC();
  const q = useQuery(trpc.services.get.queryOptions({ id: serviceId }, { refetchInterval: 10_000 }));
  if (!q.data) return null;
  return (
    <div className="rounded-md bg-white p-3 ring-1 ring-emerald-200" data-testid="req-delivery-state">
      <div className="mb-2 text-xs text-slate-600">{t("now")}</div>
      <table className="min-w-full text-sm">
        <tbody className="divide-y divide-slate-100">
          {q.data.instances.map((i) => (
            <tr key={i.id}>
              <td className="py-1 pr-4 text-xs text-slate-600">
                {ti(`roles.${i.role}`)}
                {i.shardIndex !== null && i.role !== "PROXY" && i.role !== "SENTINEL" ? ` #${i.shardIndex}` : ""}
              </td>
              <td className="pr-4 font-mono text-xs">
                {i.host.ip}:{i.port}
              </td>
              <td className="py-1">
                <InstanceStateCell instance={i} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
