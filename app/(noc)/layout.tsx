import { requireActor } from "@/server/auth/page-guard";

/** The wall: full screen, dark, no sidebar or header. */
export default async function NocLayout({ children }: { children: React.ReactNode }) {
  await requireActor();
  return <div className="min-h-screen bg-slate-950">{children}</div>;
}
