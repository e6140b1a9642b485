import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Secrets (SSH logins, the passwords of delivered services) are stored sealed (AES-256-GCM): the
 * database and its backups hold ciphertext only; the key lives in HEDWIG_SECRET_KEY or in a key file
 * beside the data, never in the database. Opened SSH logins go to an SshExecutor, never to the
 * browser; a service's password reaches a person only through an audited reveal.
 */
export type SshCredential = { username: string } & ({ privateKey: string; passphrase?: string } | { password: string });

const VERSION = "v1";

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

/** The installation's sealing key: HEDWIG_SECRET_KEY, or a key file beside the data (never in the database). */
export const secretKey = () => loadSecretKey(path.join(path.resolve(/*turbopackIgnore: true*/ process.env.HEDWIG_DATA_DIR ?? ".data"), "secret.key"));

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text, "base64");
  if (key.length !== 32) throw new Error(`${where} must hold 32 bytes in base64 (e.g. from \`openssl rand -base64 32\`); it holds ${key.length}`);
  return key;
}

/**
 * What a sealed value is for, bound into it as GCM's additional data: a ciphertext made for one use
 * (an SSH login) does not open as another (a service's Redis password), even with the same key.
 */
export type SealPurpose = "ssh-credential" | "service-credential";
const AAD: Record<SealPurpose, Buffer> = {
  "ssh-credential": Buffer.from("hedwig ssh credential v1"),
  "service-credential": Buffer.from("hedwig service credential v1"),
};

/** "v1.<iv>.<tag>.<ciphertext>", base64url; a fresh random IV each time, so equal texts seal differently. */
export function seal(plain: string, key: Buffer, purpose: SealPurpose): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv).setAAD(AAD[purpose]);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export function open(sealed: string, key: Buffer, purpose: SealPurpose): string {
  const [version, iv, tag, data, extra] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || !data || extra !== undefined) throw new Error("not a sealed credential (expected v1.<iv>.<tag>.<data>)");
  // a fixed tag length: GCM would otherwise accept a truncated tag, which is easier to forge
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: 16 }).setAAD(AAD[purpose]);
  try {
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new Error(
      "the sealed credential does not open: it was altered, sealed for another use, or sealed with another key (HEDWIG_SECRET_KEY or the key file changed)",
    );
  }
}

export function sealCredential(credential: SshCredential, key: Buffer): string {
  return seal(JSON.stringify(checkCredential(credential)), key, "ssh-credential");
}

export function openCredential(sealed: string, key: Buffer): SshCredential {
  return checkCredential(JSON.parse(open(sealed, key, "ssh-credential")) as SshCredential);
}

function checkCredential(c: SshCredential): SshCredential {
  const hasKey = "privateKey" in c && typeof c.privateKey === "string" && c.privateKey.length > 0;
  const hasPassword = "password" in c && typeof c.password === "string" && c.password.length > 0;
  if (!c.username) throw new Error("an SSH credential needs a username");
  if (hasKey === hasPassword) throw new Error("an SSH credential needs exactly one of a private key and a password");
  return c;
}
