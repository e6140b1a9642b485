import crypto from "node:crypto";
import type { Software } from "../../../generated/prisma/client";
import { hashPassword } from "../../auth/password";
import type { DbTx } from "../client";
import { BOOTSTRAP_ADMIN } from "./catalog";
import { ensureLibraTemplates } from "./libra";

// What every installation starts with, demo or not. Ranges do not overlap, and REDIS_SENTINEL and
// TWEMPROXY start at their tools' customary ports.
export const PORT_RANGES: readonly { software: Software; startPort: number; endPort: number }[] = [
  { software: "REDIS", startPort: 6379, endPort: 8999 },
  { software: "MEMCACHED", startPort: 11211, endPort: 12999 },
  { software: "TWEMPROXY", startPort: 22121, endPort: 22999 },
  { software: "REDIS_SENTINEL", startPort: 26379, endPort: 26999 },
];

// The version is part of the install path so several versions live side by side on one host.
// Sentinel is redis-server in sentinel mode, hence the same binary as Redis.
export const SOFTWARE_VERSIONS: readonly { software: Software; version: string; installPath: string; isDefault: boolean }[] = [
  { software: "REDIS", version: "7.0.15", installPath: "/opt/hedwig/redis/7.0.15", isDefault: true },
  { software: "REDIS", version: "6.2.14", installPath: "/opt/hedwig/redis/6.2.14", isDefault: false },
  { software: "REDIS_SENTINEL", version: "7.0.15", installPath: "/opt/hedwig/redis/7.0.15", isDefault: true },
  { software: "MEMCACHED", version: "1.6.18", installPath: "/opt/hedwig/memcached/1.6.18", isDefault: true },
  { software: "TWEMPROXY", version: "0.5.0", installPath: "/opt/hedwig/twemproxy/0.5.0", isDefault: true },
];

export const SPECS: readonly { software: Software; name: string; cpuCores: number; memoryMb: number; diskGb: number; bandwidthMbps: number }[] = [
  { software: "REDIS", name: "small", cpuCores: 1, memoryMb: 1024, diskGb: 10, bandwidthMbps: 100 },
  { software: "REDIS", name: "medium", cpuCores: 2, memoryMb: 4096, diskGb: 40, bandwidthMbps: 200 },
  { software: "REDIS", name: "large", cpuCores: 4, memoryMb: 16384, diskGb: 160, bandwidthMbps: 500 },
  { software: "MEMCACHED", name: "small", cpuCores: 1, memoryMb: 2048, diskGb: 5, bandwidthMbps: 200 },
  { software: "MEMCACHED", name: "medium", cpuCores: 2, memoryMb: 8192, diskGb: 10, bandwidthMbps: 500 },
  { software: "MEMCACHED", name: "large", cpuCores: 4, memoryMb: 32768, diskGb: 20, bandwidthMbps: 1000 },
  { software: "TWEMPROXY", name: "standard", cpuCores: 1, memoryMb: 512, diskGb: 5, bandwidthMbps: 500 },
  { software: "TWEMPROXY", name: "large", cpuCores: 2, memoryMb: 1024, diskGb: 5, bandwidthMbps: 1000 },
  { software: "REDIS_SENTINEL", name: "tiny", cpuCores: 0.5, memoryMb: 256, diskGb: 1, bandwidthMbps: 10 },
];

/**
 * Creates whatever of the defaults is missing and never touches an existing row, so a DBA's edits
 * survive every restart. Also creates the bootstrap admin on an installation without any user.
 */
export async function ensureSettingsAndRanges(db: DbTx, opts: { demo?: boolean } = {}): Promise<void> {
  await db.portRange.createMany({
    data: PORT_RANGES.map((r) => ({ ...r, nextPort: r.startPort })),
    skipDuplicates: true,
  });
  // A software that already has a default (possibly one a DBA chose) keeps it.
  const withDefault = new Set((await db.softwareVersion.findMany({ where: { isDefault: true }, select: { software: true } })).map((v) => v.software));
  await db.softwareVersion.createMany({
    data: SOFTWARE_VERSIONS.map((v) => ({ ...v, isDefault: v.isDefault && !withDefault.has(v.software) })),
    skipDuplicates: true,
  });
  await db.spec.createMany({ data: [...SPECS], skipDuplicates: true });
  await ensureLibraTemplates(db);

  if ((await db.user.count()) === 0) {
    const given = process.env[BOOTSTRAP_ADMIN.passwordEnv];
    // The demo's admin has the documented password; a real install's never a known one.
    const password = given || (opts.demo ? BOOTSTRAP_ADMIN.defaultPassword : generatedPassword());
    const created = await db.user.createMany({
      data: [
        {
          username: BOOTSTRAP_ADMIN.username,
          displayName: "Administrator",
          role: "ADMIN",
          passwordHash: await hashPassword(password),
          mustChangePassword: !opts.demo,
        },
      ],
      skipDuplicates: true,
    });
    if (created.count && !opts.demo && !given) {
      // Printed once, to the operator starting Hedwig; it must be changed at the first sign-in.
      console.log(`[hedwig] bootstrap admin created: user "${BOOTSTRAP_ADMIN.username}", password "${password}" (shown once; change it at first sign-in)`);
    }
  }
}

/** 24 characters from a 56-letter alphabet without look-alikes: about 139 bits. */
export function generatedPassword(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  return Array.from(crypto.randomBytes(24), (b) => alphabet[b % alphabet.length]).join("");
}
