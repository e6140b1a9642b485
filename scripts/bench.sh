#!/usr/bin/env bash
# npm run bench [-- NAME]: installs what the benchmarks run (Hedwig's packages and the baselines), then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh scripts/bench-packages.txt
exec npx tsx bench/run.ts "$@"
