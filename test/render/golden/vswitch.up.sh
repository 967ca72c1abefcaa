#!/bin/sh
# tvd up: host-a/vswitch/web (rendered by tvd; do not edit)
set -eu
if ! [ -e /sys/class/net/'tvd-5101' ]; then
  ip link add name 'tvd-5101' type bridge
elif ! { tvd_l=$(ip -d -o link show dev 'tvd-5101' 2>/dev/null) && case $tvd_l in *' bridge '*) ;; *) false ;; esac; }; then
  echo 'tvd: tvd-5101 exists and is not a bridge' >&2
  exit 1
fi
ip -batch - <<'TVD_IP'
link set dev tvd-5101 addrgenmode none
link set dev tvd-5101 mtu 1450 up
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
ip -o link show master 'tvd-5101' | while IFS=': ' read -r _ tvd_dev _; do
  tvd_dev=${tvd_dev%%@*}
  case "$tvd_dev" in
    'tvv'* | 'tvx-5101' | 'tvx-5101-'* | 'tvf-5101' | 'tvq-'*) ;;
    *) if [ -f "/var/lib/tvd/nic/$tvd_dev" ]; then tvd_give_back "$tvd_dev"; continue; fi
      echo "tvd: released $tvd_dev from tvd-5101: tvd did not put it there" >&2
      ip link set dev "$tvd_dev" nomaster
      ip link set dev "$tvd_dev" down
      ;;
  esac
done
