/**
 * The address a sign-in or an API call came from: the last X-Forwarded-For hop (Next.js sets the header from the
 * socket when no proxy did; behind a proxy, the proxy must append the client's address).
 */
export function clientAddress(headers: Record<string, unknown> | undefined): string | null {
  const xff = headers?.["x-forwarded-for"];
  const value = Array.isArray(xff) ? xff.join(",") : typeof xff === "string" ? xff : "";
  const last = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .pop();
  return last ? last.slice(0, 64) : null;
}
