import { Role } from "../generated/prisma/enums";

/**
 * Who may do what: the one policy that procedures (server/api/trpc.ts), pages and the navigation
 * read. Plain data, so client components may import it. A BUSINESS user's reach is further cut to
 * their product lines in the domain queries.
 */
export const ROLES = Object.values(Role);

export const PERMISSIONS = {
  /** every signed-in role; what BUSINESS reads is scoped to its product lines */
  read: ROLES,
  /** the whole fleet: hosts, topology, capacity, Libra */
  readFleet: ["ADMIN", "DBA", "NOC"],
  /** change inventory, instances, Libra, promotions and monitoring settings; decide requests; read the audit log */
  operate: ["DBA", "ADMIN"],
  /** ask for resources (NOC only watches) */
  request: ["BUSINESS", "DBA", "ADMIN"],
  /** acknowledge and silence incidents on the board */
  acknowledge: ["NOC", "DBA", "ADMIN"],
  /** users, roles and product-line ownership */
  administer: ["ADMIN"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const rolesWith = (permission: Permission): readonly Role[] => PERMISSIONS[permission];

export const can = (role: Role, permission: Permission): boolean => (PERMISSIONS[permission] as readonly Role[]).includes(role);

/**
 * Whether a token of role `role` gives no more than `owner` has: every permission of `role` is the
 * owner's, and a role the policy scopes stays scoped (a DBA's BUSINESS token sees the DBA's lines).
 * NOC and BUSINESS are not comparable: neither holds all of the other's permissions.
 */
export const roleWithin = (role: Role, owner: Role): boolean => (Object.keys(PERMISSIONS) as Permission[]).every((p) => !can(role, p) || can(owner, p));

/** Roles that see only their product lines' services (the domain applies it). */
export const isScoped = (role: Role): boolean => !can(role, "readFleet");

/** Each page's permission; the sidebar shows a link only to roles that may open it. */
export const PAGES = {
  "/": "read",
  "/board": "read",
  "/incidents": "read",
  "/inventory/hosts": "readFleet",
  "/inventory/topology": "readFleet",
  "/inventory/product-lines": "read",
  "/inventory/services": "read",
  "/inventory/instances": "read",
  "/inventory/catalog": "read",
  "/inventory/import": "operate",
  "/requests": "read",
  "/requests/new": "request",
  "/capacity": "readFleet",
  "/monitoring/settings": "operate",
  "/inspections": "readFleet",
  "/crashes": "readFleet",
  "/libra": "readFleet",
  "/libra/new": "operate",
  "/promotions": "read",
  "/promotions/compare": "read",
  "/promotions/forecast": "read",
  "/promotions/overlay": "read",
  "/audit": "operate",
  "/admin/users": "administer",
  "/profile": "read",
  "/api-docs": "read",
} as const satisfies Record<string, Permission>;

export type PagePath = keyof typeof PAGES;

/** The roles that may open a page; none for a path the policy does not know (fails closed). */
export function rolesFor(path: string): readonly Role[] {
  const permission = (PAGES as Record<string, Permission | undefined>)[path];
  return permission ? rolesWith(permission) : [];
}
