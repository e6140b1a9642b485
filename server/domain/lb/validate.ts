import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { LbPlugin } from "./plugins";

export type Validation = { ok: boolean; output: string; command: string };

/**
 * Runs the backend's real validator over a rendered file. Fails on a non-zero exit and on any
 * output beyond the tool's "valid" line: keepalived, for one, exits 0 after merely ignoring a bad
 * line with a warning, and a warning then would be a live service quietly missing.
 */
export async function validateConfig(plugin: LbPlugin, text: string): Promise<Validation> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "hedwig-lb-"));
  const file = path.join(dir, plugin.backend === "HAPROXY" ? "haproxy.cfg" : "keepalived.conf");
  try {
    await fs.writeFile(file, text);
    const [cmd, ...args] = plugin.validateCommand(file);
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) =>
      execFile(cmd!, args, { timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 127) : 0;
        resolve({ code, output: [stdout, stderr, err && typeof err.code !== "number" ? err.message : ""].join("\n") });
      }),
    );
    const lines = output
      .split("\n")
      .map((l) => l.trimEnd())
      .filter((l) => l && !plugin.validOutput.test(l));
    const shown = lines.join("\n").replaceAll(file, path.basename(file));
    return {
      ok: code === 0 && lines.length === 0,
      output: shown || (code === 0 ? "valid" : `exited with code ${code}`),
      command: [cmd, ...args].join(" ").replaceAll(file, path.basename(file)),
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
