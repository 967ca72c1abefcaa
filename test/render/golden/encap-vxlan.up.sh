#!/bin/sh
# tvd up: host-a/encap/web (rendered by tvd; do not edit)
set -eu
if ! ip -d -o link show dev 'tvx-5101' 2>/dev/null | grep -F ' vxlan id 5101 ' | grep -F ' local 198.18.0.11 ' | grep -F ' dev eth0 ' | grep -qF ' dstport 4789 '; then
  if ip link show dev 'tvx-5101' >/dev/null 2>&1; then
    ip link del dev 'tvx-5101'
  fi
  ip link add name 'tvx-5101' type vxlan id 5101 local 198.18.0.11 dstport 4789 dev 'eth0'
fi
ip link set dev 'tvx-5101' addrgenmode none
ip link set dev 'tvx-5101' mtu '1450'
ip link set dev 'tvx-5101' master 'tvd-5101'
bridge link set dev 'tvx-5101' isolated on
ip link set dev 'tvx-5101' up
if ! bridge fdb show dev 'tvx-5101' | grep -qF '00:00:00:00:00:00 dst 198.18.0.12 '; then
  bridge fdb append 00:00:00:00:00:00 dev 'tvx-5101' dst '198.18.0.12'
fi
if ! bridge fdb show dev 'tvx-5101' | grep -qF '00:00:00:00:00:00 dst 198.18.0.13 '; then
  bridge fdb append 00:00:00:00:00:00 dev 'tvx-5101' dst '198.18.0.13'
fi
bridge fdb show dev 'tvx-5101' | while read -r tvd_mac tvd_dst tvd_ip _; do
  if [ "$tvd_mac" = 00:00:00:00:00:00 ] && [ "$tvd_dst" = dst ]; then
    case "$tvd_ip" in
      '198.18.0.12'|'198.18.0.13') ;;
      *) bridge fdb del 00:00:00:00:00:00 dev 'tvx-5101' dst "$tvd_ip" ;;
    esac
  fi
done
