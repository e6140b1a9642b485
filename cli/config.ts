import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** Where `hedwig login` keeps the URL and token: ~/.config/hedwig/config.json (mode 0600), or $HEDWIG_CONFIG. */
export type Config = { url: string; token: string };

export const configPath = () => process.env.HEDWIG_CONFIG || join(process.env.XDG_CONFIG_HOME || join(homedir(), ".config"), "hedwig", "config.json");

export async function readConfig(): Promise<Config | null> {
  try {
    const c = JSON.parse(await readFile(configPath(), "utf8")) as Partial<Config>;
    return typeof c.url === "string" && typeof c.token === "string" ? { url: c.url, token: c.token } : null;
  } catch {
    return null;
  }
}

export async function writeConfig(c: Config): Promise<string> {
  const path = configPath();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // The token is a password: written owner-only, and the mode set again for a file that existed.
  await writeFile(path, JSON.stringify(c, null, 2) + "\n", { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}
