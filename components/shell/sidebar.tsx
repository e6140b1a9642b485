"use client";

import { clsx } from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import type { Role } from "@/generated/prisma/enums";
import { NAV, navFor } from "./nav";

export function Sidebar({ role }: { role: Role }) {
  const t = useTranslations("nav");
  const path = usePathname();
  // The longest link the address starts with is the page: /requests/new is not also /requests.
  const active = NAV.flatMap((sec) => sec.items)
    .map((i) => i.href)
    .filter((href) => (href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`)))
    .sort((a, b) => b.length - a.length)[0];
  return (
    <nav className="flex flex-col gap-5 px-3 py-4" aria-label={t("main")}>
      {navFor(role).map(({ section, items }) => {
        return (
          <div key={section}>
            <div className="px-2 pb-1 text-[11px] font-semibold uppercase tracking-wider text-slate-400">{t(`sections.${section}`)}</div>
            <ul className="space-y-0.5">
              {items.map((i) => {
                return (
                  <li key={i.href}>
                    <Link
                      href={i.href}
                      className={clsx(
                        "block rounded-md px-2 py-1.5 text-sm",
                        i.href === active ? "bg-indigo-500/20 font-medium text-white" : "text-slate-300 hover:bg-white/5 hover:text-white",
                      )}
                    >
                      {t(`items.${i.key}`)}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}
