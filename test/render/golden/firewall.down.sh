#!/bin/sh
# tvd down: host-a/firewall/web (rendered by tvd; do not edit)
set -eu
if ip -n 'tvdfw-web' link show dev lo >/dev/null 2>&1; then
  ip -n 'tvdfw-web' -o link show | while IFS=': ' read -r _ tvd_dev _; do
    tvd_dev=${tvd_dev%%@*}
    if [ "$tvd_dev" != lo ]; then ip -n 'tvdfw-web' link del dev "$tvd_dev" 2>/dev/null || true; fi
  done
  ip netns del 'tvdfw-web'
fi
if [ -e /sys/class/net/'tvf-5101' ]; then
  ip link del dev 'tvf-5101'
fi
rm -f '/var/lib/tvd/fw/tvdfw-web.nft' '/var/lib/tvd/fw/tvdfw-web.nft.loaded' '/var/lib/tvd/fw/tvdfw-web.nft.tvd-tmp' '/var/lib/tvd/fw/tvdfw-web.nft.loaded.tvd-tmp'
rmdir '/var/lib/tvd/fw' 2>/dev/null || true
