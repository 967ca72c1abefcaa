#!/bin/sh
# tvd up: host-a/vswitch/finance (rendered by tvd; do not edit)
set -eu
if ! [ -e /sys/class/net/'tvd-5103' ]; then
  ip link add name 'tvd-5103' type bridge
elif ! { tvd_l=$(ip -d -o link show dev 'tvd-5103' 2>/dev/null) && case $tvd_l in *' bridge '*) ;; *) false ;; esac; }; then
  echo 'tvd: tvd-5103 exists and is not a bridge' >&2
  exit 1
fi
ip -batch - <<'TVD_IP'
link set dev tvd-5103 addrgenmode none
link set dev tvd-5103 mtu 1500 up
link set dev eth1 master tvd-5103
link set dev eth1 type bridge_slave isolated on
link set dev eth1 up
TVD_IP
ip -o link show master 'tvd-5103' | while IFS=': ' read -r _ tvd_dev _; do
  tvd_dev=${tvd_dev%%@*}
  case "$tvd_dev" in
    'tvv'* | 'tvx-5103' | 'tvx-5103-'* | 'tvf-5103' | 'tvq-'* | 'eth1') ;;
    *)
      echo "tvd: released $tvd_dev from tvd-5103: tvd did not put it there" >&2
      ip link set dev "$tvd_dev" nomaster
      ip link set dev "$tvd_dev" down
      ;;
  esac
done
