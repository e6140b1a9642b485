import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NAV, navFor } from "../components/shell/nav";
import { can, isScoped, PAGES, roleWithin, rolesFor, ROLES } from "./roles";

describe("roles policy", () => {
  it("fails closed for a path it does not know", () => {
    expect(rolesFor("/nowhere")).toEqual([]);
    expect(rolesFor("/libra/apps/1")).toEqual([]);
    expect(rolesFor("/")).toEqual(ROLES);
  });

  it("keeps who may do what", () => {
    expect(ROLES.filter((r) => can(r, "operate"))).toEqual(["ADMIN", "DBA"]);
    expect(ROLES.filter((r) => can(r, "readFleet"))).toEqual(["ADMIN", "DBA", "NOC"]);
    expect(ROLES.filter((r) => can(r, "request"))).toEqual(["ADMIN", "DBA", "BUSINESS"]);
    expect(ROLES.filter((r) => can(r, "acknowledge"))).toEqual(["ADMIN", "DBA", "NOC"]);
    expect(ROLES.filter((r) => can(r, "administer"))).toEqual(["ADMIN"]);
    expect(ROLES.filter(isScoped)).toEqual(["BUSINESS"]);
  });

  it("lets a token carry a role only within its owner's permissions", () => {
    expect(ROLES.filter((r) => roleWithin(r, "ADMIN"))).toEqual(ROLES);
    expect(ROLES.filter((r) => roleWithin(r, "DBA"))).toEqual(["DBA", "NOC", "BUSINESS"]);
    expect(ROLES.filter((r) => roleWithin(r, "NOC"))).toEqual(["NOC"]);
    expect(ROLES.filter((r) => roleWithin(r, "BUSINESS"))).toEqual(["BUSINESS"]);
  });

  it("shows each role only the links the policy lets it open", () => {
    const links = (role: (typeof ROLES)[number]) => navFor(role).flatMap((s) => s.items.map((i) => i.href));
    expect(links("NOC")).not.toContain("/requests/new");
    expect(links("BUSINESS")).not.toContain("/libra");
    expect(links("DBA")).not.toContain("/admin/users");
    expect(links("ADMIN")).toEqual(NAV.flatMap((s) => s.items.map((i) => i.href)));
  });

  it("has a rule for every page of the console, and every page checks its own", () => {
    const dir = path.resolve(__dirname, "../app/(console)");
    const pages = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => path.basename(f) === "page.tsx");
    expect(pages.length).toBeGreaterThan(20);
    for (const file of pages) {
      const text = fs.readFileSync(path.join(dir, file), "utf8");
      const checked = /missingRole\(actor, "([^"]+)"\)/.exec(text)?.[1];
      // the board's two pages (console and TV) check in their shared server half, BoardPage
      if (text.includes("<BoardPage")) continue;
      expect(checked, file).toBeDefined();
      expect(Object.keys(PAGES), file).toContain(checked);
    }
  });
});
