#!/bin/sh
# tvd up: host-a/vswitch/web (rendered by tvd; do not edit)
set -eu
if ! ip link show dev 'tvd-5101' >/dev/null 2>&1; then
  ip link add name 'tvd-5101' type bridge
elif ! ip -d -o link show dev 'tvd-5101' 2>/dev/null | grep -qF ' bridge '; then
  echo 'tvd: tvd-5101 exists and is not a bridge' >&2
  exit 1
fi
ip link set dev 'tvd-5101' mtu '1450'
ip link set dev 'tvd-5101' up
