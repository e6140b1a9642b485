import { clsx } from "clsx";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

const TABS = [
  { href: "/promotions", key: "calendar" },
  { href: "/promotions/compare", key: "compare" },
  { href: "/promotions/forecast", key: "forecast" },
] as const;

/** The three views of the promotions area, one row of links under the page header. */
export async function PromotionTabs({ active }: { active: (typeof TABS)[number]["key"] }) {
  const t = await getTranslations("promotions.tabs");
  return (
    <nav className="mb-4 flex gap-1 border-b border-slate-200 text-sm">
      {TABS.map((tab) => (
        <Link
          key={tab.key}
          href={tab.href}
          data-testid={`promotions-tab-${tab.key}`}
          className={clsx(
            "-mb-px border-b-2 px-3 py-2",
            active === tab.key ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900",
          )}
        >
          {t(tab.key)}
        </Link>
      ))}
    </nav>
  );
}
