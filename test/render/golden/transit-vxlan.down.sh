#!/bin/sh
# tvd down: host-a/transit/db--web (rendered by tvd; do not edit)
set -eu
if ip -n 'tvdfw-web' link show dev 'to-5102' >/dev/null 2>&1; then
  ip -n 'tvdfw-web' link del dev 'to-5102'
fi
if [ -e /sys/class/net/'tvt-1' ]; then
  ip link del dev 'tvt-1'
fi
if ip -n 'tvdfw-web' link show dev 'tvt-1' >/dev/null 2>&1; then
  ip -n 'tvdfw-web' link del dev 'tvt-1'
fi
