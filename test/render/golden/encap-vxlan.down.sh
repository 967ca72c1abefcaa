#!/bin/sh
# tvd down: host-a/encap/web (rendered by tvd; do not edit)
set -eu
if ip link show dev 'tvx-5101' >/dev/null 2>&1; then
  ip link del dev 'tvx-5101'
fi
