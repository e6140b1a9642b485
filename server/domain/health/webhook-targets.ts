import { text } from "../../../lib/text";
import dns from "node:dns/promises";
import net from "node:net";
import { z } from "zod";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { badInput } from "../errors";
import { loadSettings, saveSettings, type SettingsDef } from "../settings/store";

/**
 * Webhooks leave Hedwig for the outside world (DingTalk, WeCom, a chat gateway). A URL that points
 * back inside — loopback, link-local (cloud metadata), private networks — would let whoever edits
 * a webhook make Hedwig's server call its neighbours; so those addresses are refused unless an
 * ADMIN allows a range (setting `webhooks.allowedRanges`, CIDRs such as 10.20.0.0/16).
 */
export const ALLOWED_RANGES_KEY = "webhooks.allowedRanges";
export const MAX_ALLOWED_RANGES = 32;

const BLOCKED_V4: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

const v4 = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
function inCidrV4(ip: string, base: string, bits: number): boolean {
  const mask = bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits);
  return (v4(ip) & mask) >>> 0 === (v4(base) & mask) >>> 0;
}

/** Parses "a.b.c.d/n"; null when it is not one. Pure. */
export function parseCidr(text: string): [string, number] | null {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text.trim());
  if (!m || !net.isIPv4(m[1]!) || Number(m[2]) > 32) return null;
  return [m[1]!, Number(m[2])];
}

/** The address as refused (loopback, link-local or private; an IPv4-mapped one unwrapped), or null when it may receive webhooks. Pure. */
export function blockedAddress(ip: string, allowed: readonly string[]): string | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const addr = mapped ?? ip;
  if (net.isIPv4(addr)) {
    if (
      allowed.some((r) => {
        const c = parseCidr(r);
        return c !== null && inCidrV4(addr, c[0], c[1]);
      })
    )
      return null;
    return BLOCKED_V4.some(([b, n]) => inCidrV4(addr, b, n)) ? addr : null;
  }
  const low = addr.toLowerCase();
  if (low === "::1" || low === "::" || /^f[cd]/.test(low) || /^fe[89ab]/.test(low)) return addr;
  return null;
}

/** The ranges an ADMIN allowed inside, a group of the settings store (saved whole, bounded, audited). */
export const WEBHOOK_RANGES_SETTINGS: SettingsDef<{ ranges: string[] }> = {
  key: ALLOWED_RANGES_KEY,
  schema: z
    .object({
      ranges: z
        .array(
          z
            .string()
            .trim()
            .refine((r) => parseCidr(r) !== null, "refusals.fields.cidr"),
        )
        .max(MAX_ALLOWED_RANGES, "refusals.fields.rangesMax"),
    })
    .strict(),
  defaults: { ranges: [] },
  audit: { action: "webhooks.allowedRanges", summary: "changed the ranges webhooks may reach inside" },
};

export async function loadAllowedRanges(db: DbTx): Promise<string[]> {
  return (await loadSettings(db, WEBHOOK_RANGES_SETTINGS)).ranges;
}

/** Resolves the URL's host and refuses it when any of its addresses is inside without an allowed range. */
export async function assertWebhookTarget(url: string, allowed: readonly string[]): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addresses.length === 0) throw badInput(text("refusals.webhooks.noResolve", { host }));
  for (const a of addresses) {
    const why = blockedAddress(a, allowed);
    if (why) throw badInput(text("refusals.webhooks.blocked", { host, address: why }));
  }
}

export async function saveAllowedRanges(db: DbTx, actor: Actor, ranges: string[]): Promise<string[]> {
  return (await saveSettings(db, actor, WEBHOOK_RANGES_SETTINGS, { ranges: [...new Set(ranges.map((r) => r.trim()))] })).ranges;
}

/** A receiver's answer, read up to `limit` bytes: a hostile endpoint cannot fill the worker's memory. */
export async function readLimited(res: Response, limit = 64 * 1024): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, limit).toString("utf8");
}
