/** Memcached's text-protocol `stats` answer ("STAT name value" lines up to END) → numbers by name. */
export function parseMemcachedStats(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line.startsWith("STAT ")) continue;
    const [, name, value] = line.split(" ");
    const n = Number(value);
    if (name && Number.isFinite(n)) out[name] = n;
  }
  return out;
}
