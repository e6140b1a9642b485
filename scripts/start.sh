#!/usr/bin/env bash
# npm start: installs what Hedwig needs, builds, and serves it on http://localhost:3000
# with the embedded PostgreSQL and demo data (see README). Pass --no-demo for an empty install.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npx next build
exec npx tsx scripts/serve.ts "$@"
