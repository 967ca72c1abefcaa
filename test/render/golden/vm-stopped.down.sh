#!/bin/sh
# tvd down: host-a/vm/d1 (rendered by tvd; do not edit)
set -eu
if xl list 'd1' >/dev/null 2>&1; then
  xl destroy 'd1'
fi
rm -f '/etc/xen/tvd/d1.cfg' '/etc/xen/tvd/d1.cfg.tvd-tmp'
rmdir '/etc/xen/tvd' 2>/dev/null || true
