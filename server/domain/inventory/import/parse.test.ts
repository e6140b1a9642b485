import { english } from "../../../../i18n/load";
import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors";
import { canonicalColumn } from "./columns";
import { detectFormat, IMPORT_LIMITS, parseImportText } from "./parse";

const HOST_HEADER = "ip,hostname,idc,rack,cpuCores,memoryMb,diskGb,bandwidthMbps,status,tier,department,labels";

const refused = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).kind).toBe("BAD_INPUT");
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
};

describe("detectFormat", () => {
  it("reads JSON when the text opens an array (after blanks and a BOM), CSV otherwise", () => {
    expect(detectFormat("  \n[{}]")).toBe("json");
    expect(detectFormat("\uFEFF[]")).toBe("json");
    expect(detectFormat("{}")).toBe("json");
    expect(detectFormat("ip,hostname\n")).toBe("csv");
  });
});

describe("canonicalColumn", () => {
  it("ignores case, '_', '-' and spaces, and knows a few other spellings", () => {
    expect(canonicalColumn("hosts", "memory_mb")).toBe("memoryMb");
    expect(canonicalColumn("hosts", "Memory GB")).toBe("memoryGb");
    expect(canonicalColumn("hosts", "CPU")).toBe("cpuCores");
    expect(canonicalColumn("instances", "shard_index")).toBe("shard");
    expect(canonicalColumn("instances", "product-line")).toBe("productLine");
    expect(canonicalColumn("hosts", "owner")).toBeNull();
  });
});

describe("parseImportText: CSV", () => {
  it("keys cells by column, trims them, drops empty ones and numbers rows by their line in the file", () => {
    const text = [
      HOST_HEADER,
      "10.0.0.1, h1 ,sh01,r01,32,131072,1000,10000,ONLINE,MIXED,,region=cn-sh;model=x",
      "",
      "# a comment line",
      '10.0.0.2,"two\nlines",sh01,r01,32,131072,1000,10000,,,,',
      "10.0.0.3,h3,sh01,r01,32,131072,1000,10000,,,,",
    ].join("\r\n");
    const { format, rows, notes } = parseImportText("hosts", text);
    expect(format).toBe("csv");
    expect(notes).toEqual([]);
    expect(rows.map((r) => r.line)).toEqual([2, 5, 7]);
    expect(rows[0]!.values).toMatchObject({ ip: "10.0.0.1", hostname: "h1", labels: "region=cn-sh;model=x", department: undefined });
    expect(rows[1]!.values.hostname).toBe("two\nlines");
    expect(rows.every((r) => r.problems.length === 0)).toBe(true);
  });

  it("reads tab-separated text pasted from a spreadsheet", () => {
    const text = "ip\thostname\tidc\track\tcpu\tmemory_gb\tdisk\tbandwidth\n10.0.0.1\th1\tsh01\tr01\t8\t16\t100\t1000\n";
    const { rows } = parseImportText("hosts", text);
    expect(rows[0]!.values).toMatchObject({ ip: "10.0.0.1", cpuCores: "8", memoryGb: "16", diskGb: "100", bandwidthMbps: "1000" });
  });

  it("reports a row with the wrong number of fields on that row", () => {
    const text = `${HOST_HEADER}\n10.0.0.1,h1,sh01\n`;
    const { rows } = parseImportText("hosts", text);
    expect(english(rows[0]!.problems[0])).toMatch(/has 3 field\(s\) but the header has 12/);
  });

  it("notes unknown columns and refuses a header without the required ones", () => {
    const { notes } = parseImportText("hosts", `${HOST_HEADER},owner\n10.0.0.1,h1,sh01,r01,1,1,1,1,,,,,bob\n`);
    expect(english(notes[0])).toMatch(/"owner"/);
    expect(refused(() => parseImportText("hosts", "ip,hostname\n10.0.0.1,h1\n"))).toMatch(
      /lacks the column\(s\) idc, rack, cpuCores, diskGb, bandwidthMbps, memoryMb \(or memoryGb\)/,
    );
    expect(refused(() => parseImportText("hosts", "ip,IP,hostname\n"))).toMatch(/names the column ip twice/);
  });

  it("refuses an empty file and a header without rows", () => {
    expect(refused(() => parseImportText("hosts", " \n "))).toMatch(/empty/);
    expect(refused(() => parseImportText("hosts", `${HOST_HEADER}\n`))).toMatch(/no rows/);
  });
});

describe("parseImportText: JSON", () => {
  it("reads an array of objects, numbering items from 1", () => {
    const { format, rows } = parseImportText("instances", JSON.stringify([{ service: "s", host: "10.0.0.1", port: 6379, hostIp: "x" }, 5]));
    expect(format).toBe("json");
    expect(rows[0]).toMatchObject({ line: 1, values: { service: "s", port: 6379 } });
    expect(english(rows[0]!.problems[0])).toMatch(/same column host/);
    expect(english(rows[1]!.problems[0])).toMatch(/item 2 is a number/);
  });

  it("says what is wrong with JSON that is not an array of objects", () => {
    expect(refused(() => parseImportText("hosts", "[{"))).toMatch(/not valid JSON/);
    expect(refused(() => parseImportText("hosts", '{"ip":"10.0.0.1"}'))).toMatch(/must be an array of objects.*wrap it in \[ \]/);
    expect(refused(() => parseImportText("hosts", "[]"))).toMatch(/array is empty/);
  });
});

describe("size cap", () => {
  it("refuses more than the byte cap and more than the row cap, saying the limits", () => {
    const big = `${HOST_HEADER}\n` + "x".repeat(IMPORT_LIMITS.maxBytes);
    expect(refused(() => parseImportText("hosts", big))).toMatch(/at most 5\.0 MB and 20,000 rows; split the file/);
    const many = JSON.stringify(Array.from({ length: IMPORT_LIMITS.maxRows + 1 }, () => ({})));
    expect(refused(() => parseImportText("hosts", many))).toMatch(/has 20,001 rows/);
  });
});
