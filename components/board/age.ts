/** How long a problem has lasted, in the largest two units a person reads at a glance. */
export function ageParts(since: Date, now: Date): { unit: "s" | "m" | "h" | "d"; values: Record<string, number> } {
  const s = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
  if (s < 60) return { unit: "s", values: { s } };
  const m = Math.floor(s / 60);
  if (m < 60) return { unit: "m", values: { m } };
  const h = Math.floor(m / 60);
  if (h < 24) return { unit: "h", values: { h, m: m % 60 } };
  return { unit: "d", values: { d: Math.floor(h / 24), h: h % 24 } };
}
