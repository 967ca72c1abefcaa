#!/bin/sh
# The tests, from a fresh machine (as root): install what is missing, build, run every test with
# Node's runner (the fast suite; formatting and lint; then the real-Xen test), then the contract
# check in ../shared/conformance (when it is there).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
npm ci --no-audit --no-fund --loglevel=error
npm test
# Formatting and lint (Biome), and the import rules again (dependency-cruiser): seconds.
npm run lint
# Real Xen 4.17 hosts in QEMU (lab/xen): minutes, so after the fast suite, and on its own.
npm run test:xen
if [ -x ../shared/conformance/check ]; then
  ../shared/conformance/check
fi
