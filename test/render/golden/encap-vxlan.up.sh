#!/bin/sh
# tvd up: host-a/encap/web (rendered by tvd; do not edit)
set -eu
if ! { tvd_l=$(ip -d -o link show dev 'tvx-5101' 2>/dev/null) && case $tvd_l in *' vxlan id 5101 '*) ;; *) false ;; esac && case $tvd_l in *' local 198.18.0.11 '*) ;; *) false ;; esac && case $tvd_l in *' dev eth0 '*) ;; *) false ;; esac && case $tvd_l in *' dstport 4789 '*) ;; *) false ;; esac; }; then
  if [ -e /sys/class/net/'tvx-5101' ]; then
    ip link del dev 'tvx-5101'
  fi
  ip link add name 'tvx-5101' type vxlan id 5101 local 198.18.0.11 dstport 4789 dev 'eth0'
fi
ip -batch - <<'TVD_IP'
link set dev tvx-5101 addrgenmode none
link set dev tvx-5101 mtu 1450 master tvd-5101
link set dev tvx-5101 type bridge_slave isolated on
link set dev tvx-5101 up
TVD_IP
tvd_fdb=$(bridge fdb show dev 'tvx-5101')
case $tvd_fdb in *'00:00:00:00:00:00 dst 198.18.0.12 '*) ;; *) bridge fdb append 00:00:00:00:00:00 dev 'tvx-5101' dst '198.18.0.12' ;; esac
case $tvd_fdb in *'00:00:00:00:00:00 dst 198.18.0.13 '*) ;; *) bridge fdb append 00:00:00:00:00:00 dev 'tvx-5101' dst '198.18.0.13' ;; esac
if [ -n "$tvd_fdb" ]; then printf '%s\n' "$tvd_fdb"; fi | while read -r tvd_mac tvd_dst tvd_ip _; do
  if [ "$tvd_mac" = 00:00:00:00:00:00 ] && [ "$tvd_dst" = dst ]; then
    case "$tvd_ip" in
      '198.18.0.12'|'198.18.0.13') ;;
      *) bridge fdb del 00:00:00:00:00:00 dev 'tvx-5101' dst "$tvd_ip" ;;
    esac
  fi
done
