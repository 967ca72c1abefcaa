#!/bin/sh
# tvd down: host-a/proxy/host-a (rendered by tvd; do not edit)
set -eu
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && systemctl is-enabled --quiet tvd-boot.service 2>/dev/null; then
  systemctl disable --quiet tvd-boot.service
fi
rm -f '/etc/systemd/system/multi-user.target.wants/tvd-boot.service'
rm -f '/var/lib/tvd/policy.json' '/var/lib/tvd/policy.json.tvd-tmp' '/etc/xen/scripts/vif-tvd' '/etc/xen/scripts/vif-tvd.tvd-tmp' '/var/lib/tvd/boot.sh' '/var/lib/tvd/boot.sh.tvd-tmp' '/etc/systemd/system/tvd-boot.service' '/etc/systemd/system/tvd-boot.service.tvd-tmp' '/var/log/tvd/vif-tvd.log' '/var/log/tvd/vif-tvd.log.tvd-tmp'
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload; fi
rmdir '/var/log/tvd' 2>/dev/null || true
