#!/bin/sh
# The demo, from a fresh machine (as root): install what is missing, build, run.
set -eu
cd "$(dirname "$0")/.."
# --kind xen: the real-Xen lab also needs QEMU and debootstrap.
case " $* " in *" --kind xen "*) sh scripts/install-deps.sh --xen ;; *) sh scripts/install-deps.sh ;; esac
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build >/dev/null
exec node dist/scripts/demo.js "$@"
