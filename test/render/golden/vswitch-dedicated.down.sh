#!/bin/sh
# tvd down: host-a/vswitch/finance (rendered by tvd; do not edit)
set -eu
if { tvd_l=$(ip -d -o link show dev 'tvd-5103' 2>/dev/null) && case $tvd_l in *' bridge '*) ;; *) false ;; esac; }; then
  ip link del dev 'tvd-5103'
fi
