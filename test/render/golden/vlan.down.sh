#!/bin/sh
# tvd down: host-a/vlan/web (rendered by tvd; do not edit)
set -eu
if [ -e /sys/class/net/'tvq-101' ]; then
  ip link del dev 'tvq-101'
fi
