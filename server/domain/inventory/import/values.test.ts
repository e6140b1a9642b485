import { english } from "../../../../i18n/load";
import { describe, expect, it } from "vitest";
import { hostCreateSchema } from "../schemas";
import { normalizeHostRow } from "./hosts";
import { normalizeInstanceRow, instanceRowSchema } from "./instances";
import { issuesToMessages } from "./issues";
import { adoptedResources, nextPortAfter } from "./rules";
import { importExample, PLACEHOLDER_CONTEXT } from "./templates";
import { parseImportText } from "./parse";
import { parseAddress, toEnum, toLabels, toNumber } from "./values";

describe("cell conversion", () => {
  it("converts numbers, leaving what is not one for the schema to refuse", () => {
    expect(toNumber("32")).toBe(32);
    expect(toNumber(" 1_024 ")).toBe(1024);
    expect(toNumber("-5")).toBe(-5);
    expect(toNumber("")).toBeUndefined();
    expect(toNumber("lots")).toBe("lots");
    expect(toNumber(7)).toBe(7);
  });

  it("reads enums whatever the case and separators", () => {
    expect(toEnum("mixed-department")).toBe("MIXED_DEPARTMENT");
    expect(toEnum("slave", { SLAVE: "REPLICA" })).toBe("REPLICA");
  });

  it("reads labels as key=value;key2=value2 or as an object, and names what is wrong", () => {
    expect(toLabels("region=cn-sh; model=ebmc6;")).toEqual({ labels: { region: "cn-sh", model: "ebmc6" }, problems: [] });
    expect(toLabels({ rack: 3 })).toEqual({ labels: { rack: "3" }, problems: [] });
    expect(english(toLabels("region").problems[0])).toMatch(/"region" has no '='/);
    expect(english(toLabels("a=1;a=2").problems[0])).toMatch(/key "a" is given twice/);
    expect(toLabels(undefined)).toEqual({ labels: {}, problems: [] });
  });

  it("reads ip:port addresses", () => {
    expect(parseAddress("10.1.2.3:6379")).toEqual({ ip: "10.1.2.3", port: 6379 });
    expect(parseAddress("10.1.2.3")).toBeNull();
  });
});

describe("row messages", () => {
  const hostMessages = (values: Record<string, unknown>) => {
    const n = normalizeHostRow(values);
    const r = hostCreateSchema.safeParse(n.input);
    return [...n.problems, ...(r.success ? [] : issuesToMessages(r.error.issues, values, n.columnOf))].map(english);
  };
  const good = { ip: "10.0.0.1", hostname: "h1", idc: "sh01", rack: "r01", cpuCores: "32", memoryMb: "1024", diskGb: "100", bandwidthMbps: "1000" };

  it("accepts a good row and converts memoryGb", () => {
    expect(hostMessages(good)).toEqual([]);
    const n = normalizeHostRow({ ...good, memoryMb: undefined, memoryGb: "0.5" });
    expect(n.input.memoryMb).toBe(512);
  });

  it("names the column in one sentence per column at fault", () => {
    expect(hostMessages({ ...good, memoryMb: "-5" })).toEqual(["memoryMb: memory (MB) must be greater than 0"]);
    expect(hostMessages({ ...good, memoryMb: undefined, memoryGb: "-1" })).toEqual(["memoryGb: memory (MB) must be greater than 0"]);
    expect(hostMessages({ ...good, cpuCores: "many" })).toEqual(['cpuCores: "many" is not a number']);
    expect(hostMessages({ ...good, hostname: undefined })).toEqual(["hostname is required"]);
    expect(hostMessages({ ...good, ip: "10.0.0.300" })).toEqual(["ip: write an IPv4 address such as 10.1.2.3"]);
    expect(hostMessages({ ...good, status: "up" })).toEqual(['status: "up" is not one of ONLINE, MAINTENANCE, OFFLINE, LOCKED']);
    expect(hostMessages({ ...good, labels: "bad key!=x" })[0]).toMatch(/^labels: the key "bad key!" is refused: label keys use/);
    expect(hostMessages({ ...good, labels: "ok=bad value" })[0]).toMatch(/^labels: "ok": label values use/);
    expect(hostMessages({ ...good, tier: "mixed_department" })).toEqual(["department: a MIXED_DEPARTMENT host needs the code of the department it serves"]);
    expect(hostMessages({ ...good, rack: "R 1" })[0]).toMatch(/^rack: "r 1" — rack codes use/);
  });

  it("infers an instance's software from its role and names its columns", () => {
    const n = normalizeInstanceRow({ service: "svc-a", host: "10.0.0.1", port: "6379", role: "slave", version: "7.0.15", master: "10.0.0.2:6379" });
    expect(n.input).toMatchObject({ software: "REDIS", role: "REPLICA", port: 6379 });
    expect(n.master).toEqual({ ip: "10.0.0.2", port: 6379 });
    const bad = normalizeInstanceRow({ service: "svc-a", host: "10.0.0.1", port: "0", role: "boss", version: "7", shard: "-1" });
    const r = instanceRowSchema.safeParse(bad.input);
    const messages = issuesToMessages(
      r.error!.issues.filter((i) => i.path[0] !== "software"),
      { port: "0", role: "boss", shard: "-1" },
      { shardIndex: "shard" },
    );
    expect(messages.map(english)).toEqual([
      "port: ports start at 1",
      'role: "boss" is not one of MASTER, REPLICA, SENTINEL, PROXY, CACHE',
      "shard: shard index is a whole number from 0 to 100000",
    ]);
  });
});

describe("rules", () => {
  it("estimates what an adopted instance holds on its host", () => {
    expect(adoptedResources("REDIS", 4096)).toEqual({ cpuCores: 1, memoryMb: 4915, diskGb: 12, bandwidthMbps: 100 });
    expect(adoptedResources("TWEMPROXY", null).memoryMb).toBe(512);
  });

  it("moves a range's cursor past adopted ports, wrapping at the end", () => {
    const r = { startPort: 6379, endPort: 8999, nextPort: 6400 };
    expect(nextPortAfter(r, 6500)).toBe(6501);
    expect(nextPortAfter(r, 6390)).toBe(6400);
    expect(nextPortAfter(r, 8999)).toBe(6379);
    expect(nextPortAfter(r, 9500)).toBe(6400);
  });
});

describe("examples", () => {
  it("read back as the rows they show, in both formats", () => {
    for (const kind of ["hosts", "instances"] as const) {
      const { csv, json } = importExample(kind, PLACEHOLDER_CONTEXT);
      const a = parseImportText(kind, csv);
      const b = parseImportText(kind, json);
      expect(a.notes).toEqual([]);
      expect(b.notes).toEqual([]);
      expect(a.rows.length).toBe(b.rows.length);
      expect(a.rows.every((r) => r.problems.length === 0)).toBe(true);
    }
    const hosts = parseImportText("hosts", importExample("hosts").csv).rows;
    for (const r of hosts) {
      const n = normalizeHostRow(r.values);
      expect(n.problems).toEqual([]);
      expect(hostCreateSchema.safeParse(n.input).success).toBe(true);
    }
  });
});
