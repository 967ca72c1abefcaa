#!/bin/sh
# tvd up: host-a/transit/db--web (rendered by tvd; do not edit)
set -eu
if ! { tvd_l=$(ip -n 'tvdfw-web' -d -o link show dev 'to-5102' 2>/dev/null) && case $tvd_l in *' vxlan id 16777001 '*) ;; *) false ;; esac && case $tvd_l in *' remote 198.18.0.12 '*) ;; *) false ;; esac && case $tvd_l in *' local 198.18.0.11 '*) ;; *) false ;; esac && case $tvd_l in *' dstport 4789 '*) ;; *) false ;; esac; }; then
  if ip -n 'tvdfw-web' link show dev 'to-5102' >/dev/null 2>&1; then
    ip -n 'tvdfw-web' link del dev 'to-5102'
  fi
  if [ -e /sys/class/net/'tvt-1' ]; then
    ip link del dev 'tvt-1'
  fi
  if ip -n 'tvdfw-web' link show dev 'tvt-1' >/dev/null 2>&1; then
    ip -n 'tvdfw-web' link del dev 'tvt-1'
  fi
  ip link add name 'tvt-1' type vxlan id 16777001 local '198.18.0.11' remote '198.18.0.12' dstport 4789 dev 'eth0'
  ip link set dev 'tvt-1' netns 'tvdfw-web'
  ip -n 'tvdfw-web' link set dev 'tvt-1' name 'to-5102'
fi
ip -n 'tvdfw-web' link set dev 'to-5102' mtu '1450' address '02:74:c6:12:80:03' up
tvd_a4=$(ip -n 'tvdfw-web' -o -4 addr show dev 'to-5102')
if [ -n "$tvd_a4" ]; then printf '%s\n' "$tvd_a4"; fi | while read -r _ _ _ tvd_a _; do
  if [ "$tvd_a" != '198.18.128.3/31' ]; then ip -n 'tvdfw-web' addr del "$tvd_a" dev 'to-5102'; fi
done
case $tvd_a4 in *" inet "'198.18.128.3/31'" "*) ;; *) ip -n 'tvdfw-web' addr add '198.18.128.3/31' dev 'to-5102' ;; esac
ip -n 'tvdfw-web' route replace '198.19.2.0/24' via '198.18.128.2' dev 'to-5102'
