#!/bin/sh
# tvd down: host-a/vswitch/web (rendered by tvd; do not edit)
set -eu
if { tvd_l=$(ip -d -o link show dev 'tvd-5101' 2>/dev/null) && case $tvd_l in *' bridge '*) ;; *) false ;; esac; }; then
  ip link del dev 'tvd-5101'
fi
