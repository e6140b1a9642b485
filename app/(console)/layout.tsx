import Link from "next/link";
import { Logo } from "@/components/shell/logo";
import { LocaleSwitch } from "@/components/shell/locale-switch";
import { NotificationBell } from "@/components/shell/notification-bell";
import { Sidebar } from "@/components/shell/sidebar";
import { TimeZoneSwitch } from "@/components/shell/time-zone-switch";
import { UserMenu } from "@/components/shell/user-menu";
import { requireActor } from "@/server/auth/page-guard";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-56 shrink-0 bg-slate-900 md:block">
        <Link href="/" className="flex items-center gap-2 px-5 py-4 text-lg font-semibold text-white">
          <Logo /> Hedwig
        </Link>
        <Sidebar role={actor.role} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-end gap-4 border-b border-slate-200 bg-white px-6 py-2">
          {/* the sidebar, with the brand, is hidden on narrow screens: the header carries it there */}
          <Link href="/" className="mr-auto flex items-center gap-2 font-semibold md:hidden">
            <Logo size={24} /> Hedwig
          </Link>
          <NotificationBell />
          <LocaleSwitch />
          <TimeZoneSwitch />
          <UserMenu username={actor.username} role={actor.role} />
        </header>
        <main className="mx-auto w-full max-w-[110rem] flex-1 px-6 py-5">{children}</main>
      </div>
    </div>
  );
}
