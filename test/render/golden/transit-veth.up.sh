#!/bin/sh
# tvd up: host-a/transit/db--web (rendered by tvd; do not edit)
set -eu
if ! { tvd_l=$(ip -n 'tvdfw-db' -d -o link show dev 'to-5101' 2>/dev/null) && case $tvd_l in *' veth '*) ;; *) false ;; esac; } || ! { tvd_l=$(ip -n 'tvdfw-web' -d -o link show dev 'to-5102' 2>/dev/null) && case $tvd_l in *' veth '*) ;; *) false ;; esac; }; then
  if ip -n 'tvdfw-db' link show dev 'to-5101' >/dev/null 2>&1; then
    ip -n 'tvdfw-db' link del dev 'to-5101'
  fi
  if ip -n 'tvdfw-web' link show dev 'to-5102' >/dev/null 2>&1; then
    ip -n 'tvdfw-web' link del dev 'to-5102'
  fi
  ip link add name 'to-5101' netns 'tvdfw-db' type veth peer name 'to-5102' netns 'tvdfw-web'
fi
ip -n 'tvdfw-db' link set dev 'to-5101' mtu '1450' address '02:74:c6:12:80:02' up
tvd_a4=$(ip -n 'tvdfw-db' -o -4 addr show dev 'to-5101')
if [ -n "$tvd_a4" ]; then printf '%s\n' "$tvd_a4"; fi | while read -r _ _ _ tvd_a _; do
  if [ "$tvd_a" != '198.18.128.2/31' ]; then ip -n 'tvdfw-db' addr del "$tvd_a" dev 'to-5101'; fi
done
case $tvd_a4 in *" inet "'198.18.128.2/31'" "*) ;; *) ip -n 'tvdfw-db' addr add '198.18.128.2/31' dev 'to-5101' ;; esac
ip -n 'tvdfw-db' route replace '198.19.1.0/24' via '198.18.128.3' dev 'to-5101'
ip -n 'tvdfw-web' link set dev 'to-5102' mtu '1450' address '02:74:c6:12:80:03' up
tvd_a4=$(ip -n 'tvdfw-web' -o -4 addr show dev 'to-5102')
if [ -n "$tvd_a4" ]; then printf '%s\n' "$tvd_a4"; fi | while read -r _ _ _ tvd_a _; do
  if [ "$tvd_a" != '198.18.128.3/31' ]; then ip -n 'tvdfw-web' addr del "$tvd_a" dev 'to-5102'; fi
done
case $tvd_a4 in *" inet "'198.18.128.3/31'" "*) ;; *) ip -n 'tvdfw-web' addr add '198.18.128.3/31' dev 'to-5102' ;; esac
ip -n 'tvdfw-web' route replace '198.19.2.0/24' via '198.18.128.2' dev 'to-5102'
