#!/bin/sh
# tvd up: host-a/firewall/web (rendered by tvd; do not edit)
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
if ! ip -n 'tvdfw-web' link show dev lo >/dev/null 2>&1; then
  ip netns del 'tvdfw-web' 2>/dev/null || true
  ip netns add 'tvdfw-web'
fi
ip netns exec 'tvdfw-web' sysctl -qw net.ipv4.ip_forward=1
if ! ip -n 'tvdfw-web' link show dev lan0 >/dev/null 2>&1 || ! [ -e /sys/class/net/'tvf-5101' ]; then
  if [ -e /sys/class/net/'tvf-5101' ]; then
    ip link del dev 'tvf-5101'
  fi
  if ip -n 'tvdfw-web' link show dev lan0 >/dev/null 2>&1; then
    ip -n 'tvdfw-web' link del dev lan0
  fi
  ip link add name 'tvf-5101' type veth peer name lan0 netns 'tvdfw-web'
fi
ip -batch - <<'TVD_IP'
link set dev tvf-5101 addrgenmode none
link set dev tvf-5101 mtu 1450 master tvd-5101 up
TVD_IP
ip -n 'tvdfw-web' -batch - <<'TVD_IP'
link set dev lo up
link set dev lan0 mtu 1450 address 02:74:c6:13:01:01 up
TVD_IP
tvd_a4=$(ip -n 'tvdfw-web' -o -4 addr show dev lan0)
if [ -n "$tvd_a4" ]; then printf '%s\n' "$tvd_a4"; fi | while read -r _ _ _ tvd_a _; do
  if [ "$tvd_a" != '198.19.1.1/24' ]; then ip -n 'tvdfw-web' addr del "$tvd_a" dev lan0; fi
done
case $tvd_a4 in *" inet "'198.19.1.1/24'" "*) ;; *) ip -n 'tvdfw-web' addr add '198.19.1.1/24' dev lan0 ;; esac
tvd_put '/var/lib/tvd/fw/tvdfw-web.nft' 0600 'flush ruleset
# tvd firewall of TVD web: managed by tvd, do not edit.
table inet tvd {
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iifname "lo" accept
    iifname "lan0" ip saddr 198.19.1.0/24 meta l4proto icmp accept
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state invalid drop
    ct state established,related accept
    iifname "lan0" ip saddr != 198.19.1.0/24 drop
    iifname "to-5102" ip saddr != 198.19.2.0/24 drop
    iifname "lan0" oifname "to-5102" ip daddr 198.19.2.0/24 tcp dport 5432 ct state new accept
  }
}
'
if [ "$tvd_changed" = 1 ] || ! ip netns exec 'tvdfw-web' nft -s list ruleset | cmp -s - '/var/lib/tvd/fw/tvdfw-web.nft.loaded'; then
  ip netns exec 'tvdfw-web' nft -f '/var/lib/tvd/fw/tvdfw-web.nft'
  (umask 077 && ip netns exec 'tvdfw-web' nft -s list ruleset >'/var/lib/tvd/fw/tvdfw-web.nft.loaded.tvd-tmp') && mv -f '/var/lib/tvd/fw/tvdfw-web.nft.loaded.tvd-tmp' '/var/lib/tvd/fw/tvdfw-web.nft.loaded'
fi
