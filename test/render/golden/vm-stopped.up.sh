#!/bin/sh
# tvd up: host-a/vm/d1 (rendered by tvd; do not edit)
set -eu
# tvd_mkdir DIR: make DIR and its missing parents, each marked as tvd's (.tvd-made).
tvd_mkdir() {
  if [ -z "$1" ] || [ -d "$1" ]; then return 0; fi
  tvd_mkdir "${1%/*}" || return 1
  mkdir "$1" && printf 'tvd made this folder, and removes it once it holds nothing else\n' >"$1/.tvd-made"
}
# shellcheck disable=SC2034 # tvd_changed is read only by the scripts that care
{
tvd_changed=0
tvd_put() {
  if [ -f "$1" ] && printf '%s' "$3" | cmp -s - "$1"; then
    chmod "$2" "$1"
    return 0
  fi
  tvd_mkdir "${1%/*}"
  (umask 077 && printf '%s' "$3" >"$1.tvd-tmp")
  chown 0:0 "$1.tvd-tmp"
  chmod "$2" "$1.tvd-tmp"
  mv -f "$1.tvd-tmp" "$1"
  tvd_changed=1
}
}
tvd_put '/etc/xen/tvd/d1.cfg' 0644 '# VM d1 on host host-a: managed by tvd, do not edit (changes are undone by the next apply).
name = "d1"
type = "pv"
memory = 256
vcpus = 1
vif = [ '\''mac=00:16:3e:00:02:11,bridge=tvd-5102,script=vif-tvd,vifname=tvv9f8e7d6.0,mtu=1500'\'' ]
'
