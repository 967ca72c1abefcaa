#!/bin/sh
# tvd down: host-a/proxy/host-a (rendered by tvd; do not edit)
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
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && systemctl is-enabled --quiet tvd-boot.service 2>/dev/null; then
  systemctl disable --quiet tvd-boot.service
fi
rm -f '/etc/systemd/system/multi-user.target.wants/tvd-boot.service'
rm -f '/var/lib/tvd/policy.json' '/var/lib/tvd/policy.json.tvd-tmp' '/etc/xen/scripts/vif-tvd' '/etc/xen/scripts/vif-tvd.tvd-tmp' '/var/lib/tvd/boot.sh' '/var/lib/tvd/boot.sh.tvd-tmp' '/etc/systemd/system/tvd-boot.service' '/etc/systemd/system/tvd-boot.service.tvd-tmp' '/var/log/tvd/vif-tvd.log' '/var/log/tvd/vif-tvd.log.tvd-tmp'
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload; fi
tvd_rmdir '/var/log/tvd'
tvd_rmdir '/etc/systemd/system/multi-user.target.wants'
tvd_rmdir '/etc/xen/scripts'
