#!/bin/sh
# tvd down: host-a/vswitch/finance (rendered by tvd; do not edit)
set -eu
if ip -d -o link show dev 'tvd-5103' 2>/dev/null | grep -qF ' bridge '; then
  ip link del dev 'tvd-5103'
fi
