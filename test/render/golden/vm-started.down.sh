#!/bin/sh
# tvd down: host-a/vm/w1 (rendered by tvd; do not edit)
set -eu
if xl list 'w1' >/dev/null 2>&1; then
  xl destroy 'w1'
fi
rm -f '/etc/xen/tvd/w1.cfg' '/etc/xen/tvd/w1.cfg.tvd-tmp'
rmdir '/etc/xen/tvd' 2>/dev/null || true
