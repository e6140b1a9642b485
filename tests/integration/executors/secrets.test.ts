import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSecretKey, open, openCredential, seal, sealCredential, type SshCredential } from "../../../server/domain/executors/secrets";
import { tempDir } from "./helpers";

const dir = tempDir("secrets");
const key = crypto.randomBytes(32);
const PRIVATE_KEY =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";

describe("sealed SSH credentials", () => {
  it("round-trips a key and a password credential", () => {
    const withKey: SshCredential = { username: "deploy", privateKey: PRIVATE_KEY, passphrase: "owl" };
    const withPassword: SshCredential = { username: "root", password: "s3cret pässword" };
    expect(openCredential(sealCredential(withKey, key), key)).toEqual(withKey);
    expect(openCredential(sealCredential(withPassword, key), key)).toEqual(withPassword);
  });

  it("never holds the secret in clear, and seals the same credential differently each time", () => {
    const cred: SshCredential = { username: "deploy", password: "correct horse battery staple" };
    const a = sealCredential(cred, key);
    const b = sealCredential(cred, key);
    expect(a).not.toBe(b);
    for (const sealed of [a, b]) {
      expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(sealed).not.toContain("correct horse");
      expect(sealed).not.toContain("deploy");
      expect(Buffer.from(sealed.split(".")[3]!, "base64url").toString("latin1")).not.toContain("correct horse");
    }
  });

  it("detects tampering with any part", () => {
    const sealed = sealCredential({ username: "deploy", password: "pw" }, key);
    const parts = sealed.split(".");
    for (const i of [1, 2, 3]) {
      const bytes = Buffer.from(parts[i]!, "base64url");
      bytes[0]! ^= 1;
      const altered = parts.map((p, j) => (j === i ? bytes.toString("base64url") : p)).join(".");
      expect(() => openCredential(altered, key)).toThrow(/altered, sealed for another use, or sealed with another key/);
    }
    // a truncated tag must not pass as a shorter GCM tag
    expect(() => openCredential([parts[0], parts[1], parts[2]!.slice(0, 8), parts[3]].join("."), key)).toThrow(/altered/);
    expect(() => openCredential(sealed, crypto.randomBytes(32))).toThrow(/another key/);
    expect(() => openCredential("plain text", key)).toThrow(/not a sealed credential/);
  });

  it("refuses a credential with neither or both of a key and a password", () => {
    expect(() => sealCredential({ username: "x" } as SshCredential, key)).toThrow(/exactly one/);
    expect(() => sealCredential({ username: "x", password: "p", privateKey: PRIVATE_KEY } as SshCredential, key)).toThrow(/exactly one/);
  });
});

describe("the secret key", () => {
  it("is created once in the key file with mode 0600, then reused", () => {
    const file = path.join(dir, "data", "secret-key");
    const first = loadSecretKey(file, {});
    expect(first).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretKey(file, {}).equals(first)).toBe(true);
  });

  it("comes from HEDWIG_SECRET_KEY when set, which must be 32 bytes of base64", () => {
    const fromEnv = crypto.randomBytes(32);
    const file = path.join(dir, "unused-key");
    expect(loadSecretKey(file, { HEDWIG_SECRET_KEY: fromEnv.toString("base64") }).equals(fromEnv)).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
    expect(() => loadSecretKey(file, { HEDWIG_SECRET_KEY: "dG9vIHNob3J0" })).toThrow(/HEDWIG_SECRET_KEY must hold 32 bytes/);
  });
});

describe("one key, a different use per sealed value", () => {
  it("a service password sealed for its use opens only as one: not as an SSH login, and an SSH login not as a password", () => {
    const sealed = seal("redis-password-0000000000000000", key, "service-credential");
    expect(open(sealed, key, "service-credential")).toBe("redis-password-0000000000000000");
    expect(() => open(sealed, key, "ssh-credential")).toThrow(/sealed for another use/);
    expect(() => openCredential(sealed, key)).toThrow(/sealed for another use/);
    const ssh = sealCredential({ username: "deploy", password: "pw" }, key);
    expect(() => open(ssh, key, "service-credential")).toThrow(/sealed for another use/);
  });
});
