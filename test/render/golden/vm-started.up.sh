#!/bin/sh
# tvd up: host-a/vm/w1 (rendered by tvd; do not edit)
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
tvd_put '/etc/xen/tvd/w1.cfg' 0644 '# VM w1 on host host-a: managed by tvd, do not edit (changes are undone by the next apply).
name = "w1"
type = "pvh"
memory = 512
vcpus = 1
kernel = "/boot/vmlinuz-guest"
extra = "ip=198.19.1.10::198.19.1.1:255.255.255.0::eth0:off"
vif = [ '\''mac=00:16:3e:00:01:10,bridge=tvd-5101,ip=198.19.1.10,script=vif-tvd,vifname=tvv1a2b3c4.0,mtu=1450'\'' ]
'
if ! xl list 'w1' >/dev/null 2>&1; then
  xl create '/etc/xen/tvd/w1.cfg'
elif [ "$tvd_changed" = 1 ]; then
  echo 'tvd: w1 is running; its new config takes effect when it next starts' >&2
fi
if ! [ -e /sys/class/net/'tvv1a2b3c4.0' ] && d=$(xl domid 'w1' 2>/dev/null); then
  for i in $(xenstore-list "backend/vif/$d" 2>/dev/null); do
    if [ -e "/sys/class/net/vif$d.$i" ] && [ "$(xenstore-read "backend/vif/$d/$i/mac" 2>/dev/null)" = '00:16:3e:00:01:10' ]; then
      ip link set dev "vif$d.$i" down && ip link set dev "vif$d.$i" name 'tvv1a2b3c4.0'
    fi
  done
fi
if [ -e /sys/class/net/'tvv1a2b3c4.0' ] && ! [ -e /sys/class/net/'tvv1a2b3c4.0'/upper_'tvd-5101' ]; then
  ip link set dev 'tvv1a2b3c4.0' master 'tvd-5101' up
fi
