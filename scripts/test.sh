#!/usr/bin/env bash
# npm test: the whole suite on a fresh machine — installs what the tests need (npm packages,
# Debian's chromium), then runs unit, integration (real PostgreSQL) and Playwright end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# CI allows 90 minutes and we keep it under 45: every run says how long it took, passed or not.
started=$SECONDS
trap 'echo "npm test: $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s" >&2' EXIT
bash scripts/install-deps.sh scripts/test-packages.txt
if ! dpkg -s chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk
fi
npx tsc --noEmit
npm run lint
npx vitest run --project unit
npx vitest run --project integration
npx next build
npx playwright test
