#!/bin/sh
# tvd up: host-a/encap/web (rendered by tvd; do not edit)
set -eu
if ! { tvd_l=$(ip -d -o link show dev 'tve-5101-e7c3aa' 2>/dev/null) && case $tvd_l in *' etherip '*) ;; *) false ;; esac && case $tvd_l in *' remote 198.18.0.12 '*) ;; *) false ;; esac && case $tvd_l in *' local 198.18.0.11 '*) ;; *) false ;; esac; }; then
  if [ -e /sys/class/net/'tve-5101-e7c3aa' ]; then
    ip link del dev 'tve-5101-e7c3aa'
  fi
  ip link add name 'tve-5101-e7c3aa' type etherip local '198.18.0.11' remote '198.18.0.12' dev 'eth0'
fi
ip -batch - <<'TVD_IP'
link set dev tve-5101-e7c3aa addrgenmode none
link set dev tve-5101-e7c3aa mtu 1486 master tvd-5101
link set dev tve-5101-e7c3aa type bridge_slave isolated on
link set dev tve-5101-e7c3aa up
TVD_IP
if ! { tvd_l=$(ip -d -o link show dev 'tve-5101-0f6242' 2>/dev/null) && case $tvd_l in *' etherip '*) ;; *) false ;; esac && case $tvd_l in *' remote 198.18.0.13 '*) ;; *) false ;; esac && case $tvd_l in *' local 198.18.0.11 '*) ;; *) false ;; esac; }; then
  if [ -e /sys/class/net/'tve-5101-0f6242' ]; then
    ip link del dev 'tve-5101-0f6242'
  fi
  ip link add name 'tve-5101-0f6242' type etherip local '198.18.0.11' remote '198.18.0.13' dev 'eth0'
fi
ip -batch - <<'TVD_IP'
link set dev tve-5101-0f6242 addrgenmode none
link set dev tve-5101-0f6242 mtu 1486 master tvd-5101
link set dev tve-5101-0f6242 type bridge_slave isolated on
link set dev tve-5101-0f6242 up
TVD_IP
ip -o link show master 'tvd-5101' type etherip | while IFS=': ' read -r _ tvd_dev _; do
  tvd_dev=${tvd_dev%%@*}
  case "$tvd_dev" in
    'tve-5101-e7c3aa'|'tve-5101-0f6242') ;;
    'tve-5101-'*) ip link del dev "$tvd_dev" ;;
  esac
done
