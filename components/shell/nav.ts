import type { Role } from "@/generated/prisma/enums";

export type NavItem = { href: string; key: string; roles: Role[] };

const ALL: Role[] = ["ADMIN", "DBA", "NOC", "BUSINESS"];
const FLEET: Role[] = ["ADMIN", "DBA", "NOC"];
const WRITERS: Role[] = ["ADMIN", "DBA"];

/** One list drives the sidebar; each page checks the same roles on the server. */
export const NAV: { section: string; items: NavItem[] }[] = [
  {
    section: "fleet",
    items: [
      { href: "/", key: "overview", roles: ALL },
      { href: "/board", key: "board", roles: ALL },
      { href: "/incidents", key: "incidents", roles: ALL },
    ],
  },
  {
    section: "inventory",
    items: [
      { href: "/inventory/hosts", key: "hosts", roles: FLEET },
      { href: "/inventory/topology", key: "topology", roles: FLEET },
      { href: "/inventory/product-lines", key: "productLines", roles: ALL },
      { href: "/inventory/services", key: "services", roles: ALL },
      { href: "/inventory/instances", key: "instances", roles: ALL },
      { href: "/inventory/catalog", key: "catalog", roles: ALL },
      { href: "/inventory/import", key: "import", roles: WRITERS },
    ],
  },
  {
    section: "requests",
    items: [
      { href: "/requests", key: "requests", roles: ALL },
      // NOC only watches: it does not ask for resources (the API's requester procedures agree).
      { href: "/requests/new", key: "newRequest", roles: ["BUSINESS", "DBA", "ADMIN"] },
    ],
  },
  { section: "scheduler", items: [{ href: "/capacity", key: "capacity", roles: FLEET }] },
  { section: "monitoring", items: [{ href: "/monitoring/settings", key: "monitoringSettings", roles: WRITERS }] },
  {
    section: "libra",
    items: [
      // NOC watches load balancing; BUSINESS does not see it (the API agrees).
      { href: "/libra", key: "libra", roles: FLEET },
      { href: "/libra/new", key: "libraNew", roles: WRITERS },
    ],
  },
  {
    section: "promotions",
    // BUSINESS reads them too, scoped to their product lines' services by the API.
    items: [
      { href: "/promotions", key: "promotions", roles: ALL },
      { href: "/promotions/compare", key: "promotionCompare", roles: ALL },
      { href: "/promotions/forecast", key: "promotionForecast", roles: ALL },
    ],
  },
  {
    section: "platform",
    items: [
      { href: "/audit", key: "audit", roles: WRITERS },
      { href: "/admin/users", key: "users", roles: ["ADMIN"] },
    ],
  },
];

export const rolesFor = (href: string): Role[] => NAV.flatMap((s) => s.items).find((i) => i.href === href)?.roles ?? ALL;
