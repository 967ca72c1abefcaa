#!/bin/sh
# tvd down: host-a/firewall/web (rendered by tvd; do not edit)
set -eu
# tvd_rmdir DIR: remove DIR, then its parents, while each is tvd's (.tvd-made) and holds nothing else.
tvd_rmdir() {
  while [ -f "$1/.tvd-made" ]; do
    for tvd_e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
      if [ "$tvd_e" != "$1/.tvd-made" ] && { [ -e "$tvd_e" ] || [ -L "$tvd_e" ]; }; then return 0; fi
    done
    rm -f "$1/.tvd-made"
    if ! rmdir "$1" 2>/dev/null; then
      printf 'tvd made this folder, and removes it once it holds nothing else\n' >"$1/.tvd-made"
      return 0
    fi
    set -- "${1%/*}"
  done
}
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
tvd_rmdir '/var/lib/tvd/fw'
