import type { Role } from "@/generated/prisma/enums";
import { rolesFor, type PagePath } from "@/lib/roles";

export type NavItem = { href: PagePath; key: string };

/** One list drives the sidebar; who sees a link is the page's own rule in the roles policy (lib/roles.ts). */
export const NAV: { section: string; items: NavItem[] }[] = [
  {
    section: "fleet",
    items: [
      { href: "/", key: "overview" },
      { href: "/board", key: "board" },
      { href: "/incidents", key: "incidents" },
    ],
  },
  {
    section: "inventory",
    items: [
      { href: "/inventory/hosts", key: "hosts" },
      { href: "/inventory/topology", key: "topology" },
      { href: "/inventory/product-lines", key: "productLines" },
      { href: "/inventory/services", key: "services" },
      { href: "/inventory/instances", key: "instances" },
      { href: "/inventory/catalog", key: "catalog" },
      { href: "/inventory/import", key: "import" },
    ],
  },
  {
    section: "requests",
    items: [
      { href: "/requests", key: "requests" },
      // NOC only watches: it does not ask for resources (the API's requester procedures agree).
      { href: "/requests/new", key: "newRequest" },
    ],
  },
  { section: "scheduler", items: [{ href: "/capacity", key: "capacity" }] },
  {
    section: "monitoring",
    items: [
      { href: "/inspections", key: "inspections" },
      { href: "/crashes", key: "crashes" },
      { href: "/monitoring/settings", key: "monitoringSettings" },
    ],
  },
  {
    section: "libra",
    items: [
      // NOC watches load balancing; BUSINESS does not see it (the API agrees).
      { href: "/libra", key: "libra" },
      { href: "/libra/new", key: "libraNew" },
    ],
  },
  {
    section: "promotions",
    // BUSINESS reads them too, scoped to their product lines' services by the API.
    items: [
      { href: "/promotions", key: "promotions" },
      { href: "/promotions/compare", key: "promotionCompare" },
      { href: "/promotions/forecast", key: "promotionForecast" },
    ],
  },
  {
    section: "platform",
    items: [
      { href: "/audit", key: "audit" },
      { href: "/admin/users", key: "users" },
      { href: "/api-docs", key: "apiDocs" },
    ],
  },
];

/** The sections with only the links the role may open. */
export function navFor(role: Role) {
  return NAV.map((s) => ({ ...s, items: s.items.filter((i) => rolesFor(i.href).includes(role)) })).filter((s) => s.items.length > 0);
}
