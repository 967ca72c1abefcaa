#!/bin/sh
# tvd down: host-a/vswitch/finance (rendered by tvd; do not edit)
set -eu
if { tvd_l=$(ip -d -o link show dev 'tvd-5103' 2>/dev/null) && case $tvd_l in *' bridge '*) ;; *) false ;; esac; }; then
  ip link del dev 'tvd-5103'
fi
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

# tvd_give_back NIC: a NIC tvd took as dedicated goes back as tvd found it.
tvd_give_back() {
  [ -f "/var/lib/tvd/nic/$1" ] || return 0
  tvd_was=up
  { read -r tvd_was || :; } <"/var/lib/tvd/nic/$1"
  if [ -e "/sys/class/net/$1" ]; then
    if [ "$tvd_was" = down ]; then ip link set dev "$1" nomaster down; else ip link set dev "$1" nomaster; fi
  fi
  rm -f "/var/lib/tvd/nic/$1"
  tvd_rmdir /var/lib/tvd/nic
}
tvd_give_back 'eth1'
