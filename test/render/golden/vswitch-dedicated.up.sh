#!/bin/sh
# tvd up: host-a/vswitch/finance (rendered by tvd; do not edit)
set -eu
if ! [ -e /sys/class/net/'tvd-5103' ]; then
  ip link add name 'tvd-5103' type bridge
elif ! { tvd_l=$(ip -d -o link show dev 'tvd-5103' 2>/dev/null) && case $tvd_l in *' bridge '*) ;; *) false ;; esac; }; then
  echo 'tvd: tvd-5103 exists and is not a bridge' >&2
  exit 1
fi
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
if [ -e /sys/class/net/'eth1' ] && [ ! -e /sys/class/net/'eth1'/upper_'tvd-5103' ] && [ ! -f '/var/lib/tvd/nic/eth1' ]; then
  read -r tvd_flags </sys/class/net/'eth1'/flags
  if [ $((tvd_flags & 1)) = 1 ]; then tvd_put '/var/lib/tvd/nic/eth1' 0644 up; else tvd_put '/var/lib/tvd/nic/eth1' 0644 down; fi
fi
ip -batch - <<'TVD_IP'
link set dev tvd-5103 addrgenmode none
link set dev tvd-5103 mtu 1500 up
link set dev eth1 master tvd-5103
link set dev eth1 type bridge_slave isolated on
link set dev eth1 up
TVD_IP
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
ip -o link show master 'tvd-5103' | while IFS=': ' read -r _ tvd_dev _; do
  tvd_dev=${tvd_dev%%@*}
  case "$tvd_dev" in
    'tvv'* | 'tvx-5103' | 'tvx-5103-'* | 'tvf-5103' | 'tvq-'* | 'eth1') ;;
    *) if [ -f "/var/lib/tvd/nic/$tvd_dev" ]; then tvd_give_back "$tvd_dev"; continue; fi
      echo "tvd: released $tvd_dev from tvd-5103: tvd did not put it there" >&2
      ip link set dev "$tvd_dev" nomaster
      ip link set dev "$tvd_dev" down
      ;;
  esac
done
