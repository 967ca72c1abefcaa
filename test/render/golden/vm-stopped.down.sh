#!/bin/sh
# tvd down: host-a/vm/d1 (rendered by tvd; do not edit)
set -eu
# tvd_rmdir DIR: remove DIR, then its parents, while each is tvd's (.tvd-made) and holds nothing else.
tvd_rmdir() {
  while [ -f "$1/.tvd-made" ]; do
    for tvd_e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
      if [ "$tvd_e" != "$1/.tvd-made" ] && { [ -e "$tvd_e" ] || [ -L "$tvd_e" ]; }; then return 0; fi
    done
    rm -f "$1/.tvd-made"
    if ! rmdir "$1" 2>/dev/null; then
      printf 'tvd made this folder, and removes it once it holds nothing else\n' >"$1/.tvd-made"
      return 0
    fi
    set -- "${1%/*}"
  done
}
if xl list 'd1' >/dev/null 2>&1; then
  xl destroy 'd1'
fi
rm -f '/etc/xen/tvd/d1.cfg' '/etc/xen/tvd/d1.cfg.tvd-tmp'
tvd_rmdir '/etc/xen/tvd'
