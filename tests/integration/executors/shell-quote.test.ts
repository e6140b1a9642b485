import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shellCommand, shellQuote } from "../../../server/domain/executors/shell";
import { NASTY } from "./helpers";

/** What /bin/sh (dash) or bash makes of a command line: the arguments it passes, NUL-separated. */
function parsedBy(shell: string, args: string[]): string[] {
  // a first argument of our own: with no argument at all printf would still print the format once
  const line = shellCommand(["printf", "%s\\0", "first", ...args]);
  const out = execFileSync(shell, ["-c", line], { encoding: "utf8" });
  return out.split("\0").slice(1, -1);
}

describe("shellQuote", () => {
  it("leaves plain words bare and quotes the rest", () => {
    expect(shellQuote("redis-server")).toBe("redis-server");
    expect(shellQuote("/opt/hedwig/redis/7.0.15/redis.conf")).toBe("/opt/hedwig/redis/7.0.15/redis.conf");
    expect(shellQuote("--port")).toBe("--port");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("a=b")).toBe("'a=b'");
  });

  it("always quotes the program name, so a keyword is a command", () => {
    expect(shellCommand(["time", "x"])).toBe("'time' x");
    // `! true` would negate and exit 1; `'!' true` looks for a program named "!"
    expect(spawnSync("bash", ["-c", shellCommand(["!", "true"])]).status).toBe(127);
  });

  it("refuses a NUL byte, which no argv can carry", () => {
    expect(() => shellCommand(["echo", "a\0b"])).toThrow(/NUL/);
  });

  for (const shell of ["/bin/sh", "/bin/bash"]) {
    it(`${shell} receives nasty arguments exactly`, () => {
      expect(parsedBy(shell, NASTY)).toEqual(NASTY);
      expect(fs.existsSync("/tmp/hedwig-pwned")).toBe(false);
    });

    it(`${shell} receives any string exactly (property)`, () => {
      const arg = fc.string({ unit: "binary", maxLength: 20 }).filter((s) => !s.includes("\0"));
      fc.assert(
        fc.property(fc.array(arg, { maxLength: 6 }), (args) => {
          expect(parsedBy(shell, args)).toEqual(args);
        }),
        { numRuns: 100 },
      );
    });
  }
});
