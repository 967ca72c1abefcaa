#!/bin/sh
# tvd down: host-a/transit/db--web (rendered by tvd; do not edit)
set -eu
if ip -n 'tvdfw-db' link show dev 'to-5101' >/dev/null 2>&1; then
  ip -n 'tvdfw-db' link del dev 'to-5101'
fi
if ip -n 'tvdfw-web' link show dev 'to-5102' >/dev/null 2>&1; then
  ip -n 'tvdfw-web' link del dev 'to-5102'
fi
