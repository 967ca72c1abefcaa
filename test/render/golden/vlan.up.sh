#!/bin/sh
# tvd up: host-a/vlan/web (rendered by tvd; do not edit)
set -eu
if ! { tvd_l=$(ip -d -o link show dev 'tvq-101' 2>/dev/null) && case $tvd_l in *' vlan protocol 802.1Q id 101 '*) ;; *) false ;; esac && case $tvd_l in *': tvq-101@eth0:'*) ;; *) false ;; esac; }; then
  if [ -e /sys/class/net/'tvq-101' ]; then
    ip link del dev 'tvq-101'
  fi
  ip link add link 'eth0' name 'tvq-101' type vlan id '101'
fi
ip -batch - <<'TVD_IP'
link set dev tvq-101 addrgenmode none
link set dev tvq-101 master tvd-5101
link set dev tvq-101 type bridge_slave isolated on
link set dev tvq-101 up
TVD_IP
