#!/bin/sh
# tvd up: host-a/vswitch/web (rendered by tvd; do not edit)
set -eu
if ! [ -e /sys/class/net/'tvd-5101' ]; then
  ip link add name 'tvd-5101' type bridge
elif ! { tvd_l=$(ip -d -o link show dev 'tvd-5101' 2>/dev/null) && case $tvd_l in *' bridge '*) ;; *) false ;; esac; }; then
  echo 'tvd: tvd-5101 exists and is not a bridge' >&2
  exit 1
fi
ip -batch - <<'TVD_IP'
link set dev tvd-5101 addrgenmode none
link set dev tvd-5101 mtu 1450 up
TVD_IP
ip -o link show master 'tvd-5101' | while IFS=': ' read -r _ tvd_dev _; do
  tvd_dev=${tvd_dev%%@*}
  case "$tvd_dev" in
    'tvv'* | 'tvx-5101' | 'tvx-5101-'* | 'tvf-5101' | 'tvq-'*) ;;
    *)
      echo "tvd: released $tvd_dev from tvd-5101: tvd did not put it there" >&2
      ip link set dev "$tvd_dev" nomaster
      ip link set dev "$tvd_dev" down
      ;;
  esac
done
