import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Command } from "commander";
import { parse } from "yaml";
import { terminalLanguage } from "./client";
import { completionScript } from "./completion";
import { configPath, readConfig, writeConfig } from "./config";
import { EXIT, exitForStatus } from "./exit-codes";
import { printObject, printRows } from "./output";

const saved = process.env.HEDWIG_CONFIG;
afterEach(() => {
  if (saved === undefined) delete process.env.HEDWIG_CONFIG;
  else process.env.HEDWIG_CONFIG = saved;
});

describe("hedwig's config file", () => {
  it("follows HEDWIG_CONFIG and is written owner-only, even over a file that was readable", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hedwig-config-"));
    process.env.HEDWIG_CONFIG = join(dir, "nested", "config.json");
    expect(configPath()).toBe(process.env.HEDWIG_CONFIG);
    expect(await readConfig()).toBeNull();
    await writeConfig({ url: "http://a", token: "hdw_1" });
    await writeFile(process.env.HEDWIG_CONFIG, "{}", { mode: 0o644 });
    await writeConfig({ url: "http://b", token: "hdw_2" });
    expect((await stat(process.env.HEDWIG_CONFIG)).mode & 0o777).toBe(0o600);
    expect(await readConfig()).toEqual({ url: "http://b", token: "hdw_2" });
    expect(JSON.parse(await readFile(process.env.HEDWIG_CONFIG, "utf8")).token).toBe("hdw_2");
  });
});

describe("exit codes", () => {
  it("tell a refusal from a failure", () => {
    expect([401, 403, 404, 400, 422, 409, 412, 429, 500, 502].map(exitForStatus)).toEqual([
      EXIT.AUTH,
      EXIT.FORBIDDEN,
      EXIT.NOT_FOUND,
      EXIT.BAD_INPUT,
      EXIT.BAD_INPUT,
      EXIT.CONFLICT,
      EXIT.CONFLICT,
      EXIT.RATE_LIMITED,
      EXIT.ERROR,
      EXIT.ERROR,
    ]);
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
  });
});

describe("output", () => {
  const rows = [
    { id: 1, name: "cart-redis", entry: null },
    { id: 22, name: "mc", entry: "127.0.0.1:11211" },
  ];
  const cols: [string, (r: (typeof rows)[number]) => unknown][] = [
    ["ID", (r) => r.id],
    ["NAME", (r) => r.name],
    ["ENTRY", (r) => r.entry],
  ];
  const capture = (fn: (w: (s: string) => void) => void) => {
    let out = "";
    fn((s) => void (out += s));
    return out;
  };

  it("aligns a table, with - for nothing", () => {
    expect(capture((w) => printRows("table", rows, cols, w))).toBe("ID  NAME        ENTRY\n1   cart-redis  -\n22  mc          127.0.0.1:11211\n");
  });

  it("gives scripts the whole rows as JSON or YAML", () => {
    expect(JSON.parse(capture((w) => printRows("json", rows, cols, w)))).toEqual(rows);
    expect(parse(capture((w) => printRows("yaml", rows, cols, w)))).toEqual(rows);
    expect(capture((w) => printObject("table", { id: 1, name: "x", nested: { a: 1 } }, w))).toBe("id    1\nname  x\n");
  });
});

describe("shell completion", () => {
  const complete = (shell: "bash" | "zsh", words: string[]) => {
    const program = new Command("hedwig").option("-o, --output <f>");
    const lb = program.command("lb");
    lb.command("member").command("drain");
    lb.command("pools");
    program.command("alert").command("raise").option("--source <s>");
    const script = completionScript(program, shell);
    // zsh's wrapper only adds bashcompinit around the same function, which bash runs here
    const fn = script.slice(script.indexOf("_hedwig()"));
    return execFileSync(
      "bash",
      ["-c", `${fn}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _hedwig; echo "\${COMPREPLY[@]}"`],
      {
        encoding: "utf8",
      },
    ).trim();
  };

  it("completes commands, nested subcommands and options from the command tree", () => {
    expect(complete("bash", ["hedwig", ""])).toBe("lb alert --output --help");
    expect(complete("bash", ["hedwig", "lb", ""])).toBe("member pools --help");
    expect(complete("bash", ["hedwig", "-o", "json", "lb", "member", "d"])).toBe("drain");
    expect(complete("zsh", ["hedwig", "alert", "raise", "--s"])).toBe("--source");
  });
});

describe("the terminal's language", () => {
  it("asks the server for Chinese under a zh locale, else English; HEDWIG_LANG first", () => {
    expect(terminalLanguage({ LANG: "zh_CN.UTF-8" })).toBe("zh-CN");
    expect(terminalLanguage({ LANG: "en_US.UTF-8", LC_ALL: "zh_TW.UTF-8" })).toBe("zh-CN");
    expect(terminalLanguage({ LANG: "zh_CN.UTF-8", HEDWIG_LANG: "en" })).toBe("en");
    expect(terminalLanguage({})).toBe("en");
  });
});
