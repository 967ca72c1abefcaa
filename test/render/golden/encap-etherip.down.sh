#!/bin/sh
# tvd down: host-a/encap/web (rendered by tvd; do not edit)
set -eu
if [ -e /sys/class/net/'tve-5101-0f6242' ]; then
  ip link del dev 'tve-5101-0f6242'
fi
if [ -e /sys/class/net/'tve-5101-e7c3aa' ]; then
  ip link del dev 'tve-5101-e7c3aa'
fi
