#!/usr/bin/env bash
# Installs the npm packages when package-lock.json changed since the last install.
# Debian packages that a capability runs for real are listed in scripts/debian-packages.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
# `npm install --no-save` rather than `npm ci`: the registry these machines reach lacks some other
# platforms' optional binaries (macOS/Windows builds of swc, next, tailwind), which the lockfile
# therefore cannot list, and `npm ci` refuses such a lockfile. The versions still come from it.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --no-save
fi
# Extra lists (e.g. the benchmarks' baselines) come as arguments.
want=$(cat scripts/debian-packages.txt "$@" | grep -v '^#' | xargs || true)
missing=""
for p in $want; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "install these Debian packages first (as root):$missing" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
