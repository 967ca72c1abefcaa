#!/bin/sh
# tvd up: host-a/encap/web (rendered by tvd; do not edit)
set -eu
if ! { tvd_l=$(ip -d -o link show dev 'tvg-5101-e7c3aa' 2>/dev/null) && case $tvd_l in *' gretap '*) ;; *) false ;; esac && case $tvd_l in *' remote 198.18.0.12 '*) ;; *) false ;; esac && case $tvd_l in *' local 198.18.0.11 '*) ;; *) false ;; esac; }; then
  if [ -e /sys/class/net/'tvg-5101-e7c3aa' ]; then
    ip link del dev 'tvg-5101-e7c3aa'
  fi
  ip link add name 'tvg-5101-e7c3aa' type gretap local '198.18.0.11' remote '198.18.0.12' key 5101 dev 'eth0'
fi
ip -batch - <<'TVD_IP'
link set dev tvg-5101-e7c3aa addrgenmode none
link set dev tvg-5101-e7c3aa mtu 1462 master tvd-5101
link set dev tvg-5101-e7c3aa type bridge_slave isolated on
link set dev tvg-5101-e7c3aa up
TVD_IP
if ! { tvd_l=$(ip -d -o link show dev 'tvg-5101-0f6242' 2>/dev/null) && case $tvd_l in *' gretap '*) ;; *) false ;; esac && case $tvd_l in *' remote 198.18.0.13 '*) ;; *) false ;; esac && case $tvd_l in *' local 198.18.0.11 '*) ;; *) false ;; esac; }; then
  if [ -e /sys/class/net/'tvg-5101-0f6242' ]; then
    ip link del dev 'tvg-5101-0f6242'
  fi
  ip link add name 'tvg-5101-0f6242' type gretap local '198.18.0.11' remote '198.18.0.13' key 5101 dev 'eth0'
fi
ip -batch - <<'TVD_IP'
link set dev tvg-5101-0f6242 addrgenmode none
link set dev tvg-5101-0f6242 mtu 1462 master tvd-5101
link set dev tvg-5101-0f6242 type bridge_slave isolated on
link set dev tvg-5101-0f6242 up
TVD_IP
ip -o link show master 'tvd-5101' type gretap | while IFS=': ' read -r _ tvd_dev _; do
  tvd_dev=${tvd_dev%%@*}
  case "$tvd_dev" in
    'tvg-5101-e7c3aa'|'tvg-5101-0f6242') ;;
    'tvg-5101-'*) ip link del dev "$tvd_dev" ;;
  esac
done
