#!/bin/sh
# tvd down: host-a/encap/web (rendered by tvd; do not edit)
set -eu
if [ -e /sys/class/net/'tvx-5101' ]; then
  ip link del dev 'tvx-5101'
fi
