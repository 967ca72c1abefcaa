#!/bin/sh
# The demo, from a fresh machine (as root): install what is missing, build, run.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build >/dev/null
exec node dist/scripts/demo.js "$@"
