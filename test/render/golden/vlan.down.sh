#!/bin/sh
# tvd down: host-a/vlan/web (rendered by tvd; do not edit)
set -eu
if ip link show dev 'tvq-101' >/dev/null 2>&1; then
  ip link del dev 'tvq-101'
fi
