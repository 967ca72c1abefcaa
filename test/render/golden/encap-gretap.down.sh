#!/bin/sh
# tvd down: host-a/encap/web (rendered by tvd; do not edit)
set -eu
if ip link show dev 'tvg-5101-0f6242' >/dev/null 2>&1; then
  ip link del dev 'tvg-5101-0f6242'
fi
if ip link show dev 'tvg-5101-e7c3aa' >/dev/null 2>&1; then
  ip link del dev 'tvg-5101-e7c3aa'
fi
