import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * SSH credentials are stored sealed (AES-256-GCM): the database and its backups hold ciphertext
 * only; the key lives in HEDWIG_SECRET_KEY or in a key file beside the data, never in the database.
 * Opened credentials stay on the server: they go to an SshExecutor, never to the browser.
 */
export type SshCredential = { username: string } & ({ privateKey: string; passphrase?: string } | { password: string });

const VERSION = "v1";
// Binds a sealed value to its use: a ciphertext made for something else does not open as a credential.
const AAD = Buffer.from("hedwig ssh credential v1");

/**
 * The 32-byte key: HEDWIG_SECRET_KEY (base64) when set, else the key file, created with mode 0600
 * on first use so a fresh install works without configuration. Losing it makes stored credentials
 * unreadable; they must then be entered again.
 */
export function loadSecretKey(keyFile: string, env: Record<string, string | undefined> = process.env): Buffer {
  if (env.HEDWIG_SECRET_KEY) return decodeKey(env.HEDWIG_SECRET_KEY, "HEDWIG_SECRET_KEY");
  fs.mkdirSync(path.dirname(keyFile), { recursive: true });
  try {
    fs.writeFileSync(keyFile, crypto.randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  return decodeKey(fs.readFileSync(keyFile, "utf8").trim(), keyFile);
}

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text, "base64");
  if (key.length !== 32) throw new Error(`${where} must hold 32 bytes in base64 (e.g. from \`openssl rand -base64 32\`); it holds ${key.length}`);
  return key;
}

/** "v1.<iv>.<tag>.<ciphertext>", base64url; a fresh random IV each time, so equal credentials seal differently. */
export function sealCredential(credential: SshCredential, key: Buffer): string {
  checkCredential(credential);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv).setAAD(AAD);
  const data = Buffer.concat([cipher.update(JSON.stringify(credential), "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function openCredential(sealed: string, key: Buffer): SshCredential {
  const [version, iv, tag, data, extra] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || !data || extra !== undefined) throw new Error("not a sealed credential (expected v1.<iv>.<tag>.<data>)");
  // a fixed tag length: GCM would otherwise accept a truncated tag, which is easier to forge
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: 16 }).setAAD(AAD);
  let plain: string;
  try {
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    plain = Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("the sealed credential does not open: it was altered, or sealed with another key (HEDWIG_SECRET_KEY or the key file changed)");
  }
  return checkCredential(JSON.parse(plain) as SshCredential);
}

function checkCredential(c: SshCredential): SshCredential {
  const hasKey = "privateKey" in c && typeof c.privateKey === "string" && c.privateKey.length > 0;
  const hasPassword = "password" in c && typeof c.password === "string" && c.password.length > 0;
  if (!c.username) throw new Error("an SSH credential needs a username");
  if (hasKey === hasPassword) throw new Error("an SSH credential needs exactly one of a private key and a password");
  return c;
}
