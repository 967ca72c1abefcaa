#!/bin/sh
# tvd host bundle for host-a: 5 step(s) (rendered by tvd; do not edit)
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
umask 022
tvd_all_ok=1

tvd_manifest() {
  echo '@@tvd manifest-begin'
  set --
  for tvd_d in /var/lib/tvd/res/*/; do
    if [ -f "${tvd_d}attrs.json" ] && [ -f "${tvd_d}address" ]; then set -- "$@" "${tvd_d}attrs.json"; fi
  done
  # shellcheck disable=SC2034 # the bundle's end reads it: nothing recorded, tvd's folders go
  tvd_records=$#
  if [ $# -gt 0 ]; then
    # From a here-document, not a pipe: a pipe would fork the loop as well.
    tvd_sums=$(sha256sum -- "$@")
    while read -r tvd_sum tvd_f; do
      tvd_a=""
      { read -r tvd_a || :; } <"${tvd_f%attrs.json}address"
      if [ -n "$tvd_a" ]; then printf '%s %s\n' "$tvd_a" "$tvd_sum"; fi
    done <<TVD_EOF
$tvd_sums
TVD_EOF
  fi
  echo '@@tvd manifest-end'
}

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

# tvd_finish: the manifest; when nothing is recorded any more, the folders tvd made go (not one
# that was there before) and so do the probe's per-boot cache and the host lock, this bundle's
# last step under it (a run waiting for it takes it anew, host-lock.ts): destroy leaves nothing of tvd.
tvd_finish() {
  tvd_manifest
  if [ "$tvd_records" = 0 ]; then
    tvd_rmdir /var/lib/tvd/res
    tvd_rmdir /var/lib/tvd
    rm -f /run/tvd/probe.cache /run/tvd/lock.holder /run/tvd/lock
    tvd_rmdir /run/tvd  # also the host lock's folder
  fi
  if [ "$tvd_all_ok" = 1 ]; then exit 0; fi
  exit 1
}

# tvd host lock, exclusive (src/host/host-lock.ts)
tvd_busy() {
  tvd_hpid=''
  tvd_htext=''
  if [ -r /run/tvd/lock.holder ]; then read -r tvd_hpid tvd_htext </run/tvd/lock.holder; fi
  if [ -n "$tvd_hpid" ] && [ -d "/proc/$tvd_hpid" ]; then
    echo "@@tvd busy $tvd_htext, whose script is pid $tvd_hpid on this host"
  else
    echo '@@tvd busy a tvd run that is reading this host (a refresh or verify)'
  fi
  exit 75
}
# tvd_mkdir DIR: make DIR and its missing parents, each marked as tvd's (.tvd-made).
tvd_mkdir() {
  if [ -z "$1" ] || [ -d "$1" ]; then return 0; fi
  tvd_mkdir "${1%/*}" || return 1
  mkdir "$1" && printf 'tvd made this folder, and removes it once it holds nothing else\n' >"$1/.tvd-made"
}
tvd_lk=''
for _ in 1 2 3; do
  tvd_mkdir /run/tvd 2>/dev/null
  if ! { command exec 9>>/run/tvd/lock; } 2>/dev/null; then continue; fi
  flock -E 75 -x -w 30 9
  tvd_lk=$?
  # -ef (same file) is POSIX since 2024 and in every sh of Debian's (dash, bash, busybox).
  # shellcheck disable=SC3013
  if [ "$tvd_lk" -ne 0 ] || [ ! -e /dev/fd/9 ] || [ /dev/fd/9 -ef /run/tvd/lock ]; then break; fi
  tvd_lk=''
done
if [ -z "$tvd_lk" ]; then
  echo 'tvd: cannot open the host lock /run/tvd/lock' >&2
  exit 1
fi
if [ "$tvd_lk" -eq 75 ]; then tvd_busy; fi
if [ "$tvd_lk" -ne 0 ]; then
  echo "tvd: cannot take the host lock /run/tvd/lock (flock exited $tvd_lk)" >&2
  exit 1
fi
printf '%s %s\n' "$$" 'a tvd bundle' >/run/tvd/lock.holder

# tvd_record DIR ADDRESS UP DOWN ATTRS: record an applied resource; attrs.json last, the commit.
tvd_record() {
  tvd_mkdir /var/lib/tvd/res || return 1
  set -- "/var/lib/tvd/res/$1" "$2" "$3" "$4" "$5"
  umask 077
  { [ -d "$1" ] || mkdir "$1"; } &&
    { [ ! -e "$1/attrs.json" ] || rm -f "$1/attrs.json"; } &&
    printf '%s' "$2" >"$1/address" && printf '%s' "$3" >"$1/up" && printf '%s' "$4" >"$1/down" &&
    printf '%s' "$5" >"$1/attrs.json.tvd-tmp" &&
    mv -f "$1/attrs.json.tvd-tmp" "$1/attrs.json"
  tvd_rc=$?
  umask 022
  return "$tvd_rc"
}

# 1/5: host-a/proxy/host-a create
echo '@@tvd begin host-a/proxy/host-a create'
rc=0
if [ "$rc" -eq 0 ]; then
(
#!/bin/sh
# tvd up: host-a/proxy/host-a (rendered by tvd; do not edit)
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
tvd_put '/var/lib/tvd/policy.json' 0600 '{"format":1,"host":"host-a","bridges":{"tvd-5101":"web","tvd-5102":"db"},"admissions":[
{"vm":"d1","bridge":"tvd-5102","mac":"00:16:3e:00:02:11"},
{"vm":"w1","bridge":"tvd-5101","mac":"00:16:3e:00:01:10"},
{"vm":"w1","bridge":"tvd-5102","mac":"00:16:3e:00:02:10"}
]}
'
# shellcheck disable=SC2016 # a script as data: nothing in it may expand here
tvd_put '/etc/xen/scripts/vif-tvd' 0755 '#!/bin/sh
# vif-tvd: admits a Xen vif onto a TVD bridge only as /var/lib/tvd/policy.json allows.
# Installed by tvd; do not edit (the next apply puts it back).
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
POLICY=/var/lib/tvd/policy.json
LOG=/var/log/tvd/vif-tvd.log
NL='\''
'\''

# The proxy'\''s up makes the log'\''s folder; should it have gone since, it is made marked as tvd'\''s.
# tvd_mkdir DIR: make DIR and its missing parents, each marked as tvd'\''s (.tvd-made).
tvd_mkdir() {
  if [ -z "$1" ] || [ -d "$1" ]; then return 0; fi
  tvd_mkdir "${1%/*}" || return 1
  mkdir "$1" && printf '\''tvd made this folder, and removes it once it holds nothing else\n'\'' >"$1/.tvd-made"
}

log() {
  tvd_mkdir "${LOG%/*}" 2>/dev/null
  printf '\''%s vif-tvd: %s\n'\'' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" >>"$LOG" 2>/dev/null
  if command -v logger >/dev/null 2>&1; then logger -t vif-tvd -- "$1" 2>/dev/null; fi
  return 0
}

# refuse WHY: log, tell Xen (hotplug-error), fail. WHY holds checked values only.
refuse() {
  log "refused ${vif_ok:-a vif}: $1"
  if [ -n "$xb" ]; then
    xenstore-write "$xb/hotplug-error" "$1" "$xb/hotplug-status" error 2>/dev/null
  fi
  exit 1
}

ok_name() {
  case $1 in '\'''\'' | [!a-z]* | *[!a-z0-9-]*) return 1 ;; esac
  [ "${#1}" -le 32 ]
}
ok_ifname() {
  case $1 in '\'''\'' | [!a-zA-Z]* | *[!a-zA-Z0-9_.-]*) return 1 ;; esac
  [ "${#1}" -le 15 ]
}
ok_int() {
  case $1 in '\'''\'' | *[!0-9]*) return 1 ;; esac
  [ "${#1}" -le 9 ]
}
ok_mac() {
  case $1 in
    [0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]) return 0 ;;
  esac
  return 1
}

# xs_read KEY: sets xs_val to the value exactly; only the newline xenstore-read adds is
# dropped, so a value with a newline of its own fails the checks instead of being trimmed.
xs_read() {
  xs_val=$(xenstore-read "$1" && echo .) || return 1
  xs_val=${xs_val%.}
  xs_val=${xs_val%"$NL"}
}

action=${1:-}
xb=
vif_ok=

# XENBUS_PATH names the domain and the device: accept only the plain vif backend form.
case ${XENBUS_PATH:-} in
  backend/vif/*) rest=${XENBUS_PATH#backend/vif/} ;;
  /local/domain/0/backend/vif/*) rest=${XENBUS_PATH#/local/domain/0/backend/vif/} ;;
  *) refuse "XENBUS_PATH is not a vif backend path" ;;
esac
path_domid=${rest%%/*}
devid=${rest#*/}
if ! ok_int "$path_domid" || ! ok_int "$devid"; then
  refuse "XENBUS_PATH is not a vif backend path"
fi
xb=$XENBUS_PATH
if ! ok_ifname "${vif:-}"; then
  refuse "the vif name is not a valid interface name"
fi
vif_ok=$vif
# Xen names the backend vifD.N (and passes that as vif=, online and offline alike); a
# vifname in the vif line is for the hotplug script to give, as vif-common.sh of Xen does.
# The refresh and verify of tvd know the vifs of a VM by that name.
dev=$vif
if xs_read "$xb/vifname"; then
  ok_ifname "$xs_val" || refuse "the vifname in $xb is not a valid interface name"
  dev=$xs_val
fi

case $action in
  offline | remove)
    ip link set dev "$dev" nomaster 2>/dev/null || true
    ip link set dev "$dev" down 2>/dev/null || true
    log "released $dev"
    exit 0
    ;;
  online | add) ;;
  *)
    log "ignored action for $vif"
    exit 0
    ;;
esac

xs_read "$xb/bridge" || refuse "no bridge in $xb"
bridge=$xs_val
ok_ifname "$bridge" || refuse "the bridge in $xb is not a valid interface name"
xs_read "$xb/mac" || refuse "no mac in $xb"
mac=$xs_val
# xl writes MACs in lower case; a tr only for one that is not.
case $mac in *[A-F]*) mac=$(printf '\''%s.'\'' "$mac" | tr '\''A-F'\'' '\''a-f'\'') && mac=${mac%.} ;; esac
ok_mac "$mac" || refuse "the mac in $xb is not a MAC address"
xs_read "$xb/frontend-id" || refuse "no frontend-id in $xb"
domid=$xs_val
ok_int "$domid" || refuse "the frontend-id in $xb is not a number"
[ "$domid" = "$path_domid" ] || refuse "frontend-id $domid does not match $xb"
xs_read "/local/domain/$domid/name" || refuse "domain $domid has no name"
vm=$xs_val
ok_name "$vm" || refuse "domain $domid has a name tvd does not accept"

[ -f "$POLICY" ] || refuse "no policy at $POLICY"
line="{\"vm\":\"$vm\",\"bridge\":\"$bridge\",\"mac\":\"$mac\"}"
if ! grep -qxF -e "$line" -e "$line," "$POLICY"; then
  refuse "VM $vm may not join bridge $bridge with MAC $mac"
fi

# From sysfs, by the shell itself: only a bridge has a bridge/ folder there.
[ -d "/sys/class/net/$bridge/bridge" ] || refuse "bridge $bridge does not exist"
mtu=""
read -r mtu 2>/dev/null <"/sys/class/net/$bridge/mtu" || :
ok_int "$mtu" || refuse "cannot read the MTU of $bridge"
# The rename first (a device is renamed only while down), unless an earlier online did it.
rename=
if [ "$dev" != "$vif" ] && [ -d "/sys/class/net/$vif" ]; then rename="link set dev $vif name $dev"; fi
# No IPv6 link-local address for Dom0 on the vif: Dom0 is not a host on a TVD'\''s network
# (a Dom0 without IPv6 has none to stop). One ip for all of it, in this order: vif, its name,
# bridge and MTU passed the checks above, so they hold nothing the batch reader of ip reads specially.
agm=
if [ -d /proc/sys/net/ipv6 ]; then agm="link set dev $dev addrgenmode none"; fi
ip -batch - <<EOF || refuse "cannot put $dev on $bridge with MTU $mtu, up"
$rename
$agm
link set dev $dev mtu $mtu
link set dev $dev master $bridge
link set dev $dev up
EOF
xenstore-write "$xb/hotplug-status" connected || refuse "cannot write $xb/hotplug-status"
log "admitted $dev of $vm ($mac) onto $bridge"
exit 0
'
# shellcheck disable=SC2016
tvd_put '/var/lib/tvd/boot.sh' 0755 '#!/bin/sh
# tvd-boot: brings this Dom0'\''s TVD networks back after a reboot.
# Installed by tvd; do not edit. Runs every committed record'\''s up, in name order (= apply order);
# a record is committed once its attrs.json exists. Goes on past a failure, then exits 1.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
rc=0
for d in /var/lib/tvd/res/*/; do
  [ -f "${d}attrs.json" ] || continue
  if ! sh "${d}up" </dev/null; then
    echo "tvd-boot: ${d}up failed" >&2
    rc=1
  fi
done
exit "$rc"
'
tvd_changed=0
tvd_put '/etc/systemd/system/tvd-boot.service' 0644 '# Installed by tvd; do not edit.
[Unit]
Description=tvd: bring back the TVD networks (bridges, tunnels, firewalls, guests)
Wants=network-online.target
After=network-online.target proc-xen.mount xenstored.service xenconsoled.service xen-init-dom0.service
Before=xendomains.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/var/lib/tvd/boot.sh

[Install]
WantedBy=multi-user.target
'
tvd_mkdir '/var/log/tvd'
tvd_mkdir '/etc/systemd/system/multi-user.target.wants'
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  if [ "$tvd_changed" = 1 ]; then systemctl daemon-reload; fi
  if ! systemctl is-enabled --quiet tvd-boot.service 2>/dev/null; then systemctl enable --quiet tvd-boot.service; fi
elif [ ! -L '/etc/systemd/system/multi-user.target.wants/tvd-boot.service' ]; then
  ln -s '/etc/systemd/system/tvd-boot.service' '/etc/systemd/system/multi-user.target.wants/tvd-boot.service'
fi
) </dev/null >&2 9>&-
rc=$?
fi
if [ "$rc" -eq 0 ]; then
  # shellcheck disable=SC2016,SC1003 # scripts as data: nothing in them may expand here
  tvd_record '00-proxy.host-a' 'host-a/proxy/host-a' '#!/bin/sh
# tvd up: host-a/proxy/host-a (rendered by tvd; do not edit)
set -eu
# tvd_mkdir DIR: make DIR and its missing parents, each marked as tvd'\''s (.tvd-made).
tvd_mkdir() {
  if [ -z "$1" ] || [ -d "$1" ]; then return 0; fi
  tvd_mkdir "${1%/*}" || return 1
  mkdir "$1" && printf '\''tvd made this folder, and removes it once it holds nothing else\n'\'' >"$1/.tvd-made"
}
# shellcheck disable=SC2034 # tvd_changed is read only by the scripts that care
{
tvd_changed=0
tvd_put() {
  if [ -f "$1" ] && printf '\''%s'\'' "$3" | cmp -s - "$1"; then
    chmod "$2" "$1"
    return 0
  fi
  tvd_mkdir "${1%/*}"
  (umask 077 && printf '\''%s'\'' "$3" >"$1.tvd-tmp")
  chown 0:0 "$1.tvd-tmp"
  chmod "$2" "$1.tvd-tmp"
  mv -f "$1.tvd-tmp" "$1"
  tvd_changed=1
}
}
tvd_put '\''/var/lib/tvd/policy.json'\'' 0600 '\''{"format":1,"host":"host-a","bridges":{"tvd-5101":"web","tvd-5102":"db"},"admissions":[
{"vm":"d1","bridge":"tvd-5102","mac":"00:16:3e:00:02:11"},
{"vm":"w1","bridge":"tvd-5101","mac":"00:16:3e:00:01:10"},
{"vm":"w1","bridge":"tvd-5102","mac":"00:16:3e:00:02:10"}
]}
'\''
# shellcheck disable=SC2016 # a script as data: nothing in it may expand here
tvd_put '\''/etc/xen/scripts/vif-tvd'\'' 0755 '\''#!/bin/sh
# vif-tvd: admits a Xen vif onto a TVD bridge only as /var/lib/tvd/policy.json allows.
# Installed by tvd; do not edit (the next apply puts it back).
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
POLICY=/var/lib/tvd/policy.json
LOG=/var/log/tvd/vif-tvd.log
NL='\''\'\'''\''
'\''\'\'''\''

# The proxy'\''\'\'''\''s up makes the log'\''\'\'''\''s folder; should it have gone since, it is made marked as tvd'\''\'\'''\''s.
# tvd_mkdir DIR: make DIR and its missing parents, each marked as tvd'\''\'\'''\''s (.tvd-made).
tvd_mkdir() {
  if [ -z "$1" ] || [ -d "$1" ]; then return 0; fi
  tvd_mkdir "${1%/*}" || return 1
  mkdir "$1" && printf '\''\'\'''\''tvd made this folder, and removes it once it holds nothing else\n'\''\'\'''\'' >"$1/.tvd-made"
}

log() {
  tvd_mkdir "${LOG%/*}" 2>/dev/null
  printf '\''\'\'''\''%s vif-tvd: %s\n'\''\'\'''\'' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" >>"$LOG" 2>/dev/null
  if command -v logger >/dev/null 2>&1; then logger -t vif-tvd -- "$1" 2>/dev/null; fi
  return 0
}

# refuse WHY: log, tell Xen (hotplug-error), fail. WHY holds checked values only.
refuse() {
  log "refused ${vif_ok:-a vif}: $1"
  if [ -n "$xb" ]; then
    xenstore-write "$xb/hotplug-error" "$1" "$xb/hotplug-status" error 2>/dev/null
  fi
  exit 1
}

ok_name() {
  case $1 in '\''\'\'''\'''\''\'\'''\'' | [!a-z]* | *[!a-z0-9-]*) return 1 ;; esac
  [ "${#1}" -le 32 ]
}
ok_ifname() {
  case $1 in '\''\'\'''\'''\''\'\'''\'' | [!a-zA-Z]* | *[!a-zA-Z0-9_.-]*) return 1 ;; esac
  [ "${#1}" -le 15 ]
}
ok_int() {
  case $1 in '\''\'\'''\'''\''\'\'''\'' | *[!0-9]*) return 1 ;; esac
  [ "${#1}" -le 9 ]
}
ok_mac() {
  case $1 in
    [0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]) return 0 ;;
  esac
  return 1
}

# xs_read KEY: sets xs_val to the value exactly; only the newline xenstore-read adds is
# dropped, so a value with a newline of its own fails the checks instead of being trimmed.
xs_read() {
  xs_val=$(xenstore-read "$1" && echo .) || return 1
  xs_val=${xs_val%.}
  xs_val=${xs_val%"$NL"}
}

action=${1:-}
xb=
vif_ok=

# XENBUS_PATH names the domain and the device: accept only the plain vif backend form.
case ${XENBUS_PATH:-} in
  backend/vif/*) rest=${XENBUS_PATH#backend/vif/} ;;
  /local/domain/0/backend/vif/*) rest=${XENBUS_PATH#/local/domain/0/backend/vif/} ;;
  *) refuse "XENBUS_PATH is not a vif backend path" ;;
esac
path_domid=${rest%%/*}
devid=${rest#*/}
if ! ok_int "$path_domid" || ! ok_int "$devid"; then
  refuse "XENBUS_PATH is not a vif backend path"
fi
xb=$XENBUS_PATH
if ! ok_ifname "${vif:-}"; then
  refuse "the vif name is not a valid interface name"
fi
vif_ok=$vif
# Xen names the backend vifD.N (and passes that as vif=, online and offline alike); a
# vifname in the vif line is for the hotplug script to give, as vif-common.sh of Xen does.
# The refresh and verify of tvd know the vifs of a VM by that name.
dev=$vif
if xs_read "$xb/vifname"; then
  ok_ifname "$xs_val" || refuse "the vifname in $xb is not a valid interface name"
  dev=$xs_val
fi

case $action in
  offline | remove)
    ip link set dev "$dev" nomaster 2>/dev/null || true
    ip link set dev "$dev" down 2>/dev/null || true
    log "released $dev"
    exit 0
    ;;
  online | add) ;;
  *)
    log "ignored action for $vif"
    exit 0
    ;;
esac

xs_read "$xb/bridge" || refuse "no bridge in $xb"
bridge=$xs_val
ok_ifname "$bridge" || refuse "the bridge in $xb is not a valid interface name"
xs_read "$xb/mac" || refuse "no mac in $xb"
mac=$xs_val
# xl writes MACs in lower case; a tr only for one that is not.
case $mac in *[A-F]*) mac=$(printf '\''\'\'''\''%s.'\''\'\'''\'' "$mac" | tr '\''\'\'''\''A-F'\''\'\'''\'' '\''\'\'''\''a-f'\''\'\'''\'') && mac=${mac%.} ;; esac
ok_mac "$mac" || refuse "the mac in $xb is not a MAC address"
xs_read "$xb/frontend-id" || refuse "no frontend-id in $xb"
domid=$xs_val
ok_int "$domid" || refuse "the frontend-id in $xb is not a number"
[ "$domid" = "$path_domid" ] || refuse "frontend-id $domid does not match $xb"
xs_read "/local/domain/$domid/name" || refuse "domain $domid has no name"
vm=$xs_val
ok_name "$vm" || refuse "domain $domid has a name tvd does not accept"

[ -f "$POLICY" ] || refuse "no policy at $POLICY"
line="{\"vm\":\"$vm\",\"bridge\":\"$bridge\",\"mac\":\"$mac\"}"
if ! grep -qxF -e "$line" -e "$line," "$POLICY"; then
  refuse "VM $vm may not join bridge $bridge with MAC $mac"
fi

# From sysfs, by the shell itself: only a bridge has a bridge/ folder there.
[ -d "/sys/class/net/$bridge/bridge" ] || refuse "bridge $bridge does not exist"
mtu=""
read -r mtu 2>/dev/null <"/sys/class/net/$bridge/mtu" || :
ok_int "$mtu" || refuse "cannot read the MTU of $bridge"
# The rename first (a device is renamed only while down), unless an earlier online did it.
rename=
if [ "$dev" != "$vif" ] && [ -d "/sys/class/net/$vif" ]; then rename="link set dev $vif name $dev"; fi
# No IPv6 link-local address for Dom0 on the vif: Dom0 is not a host on a TVD'\''\'\'''\''s network
# (a Dom0 without IPv6 has none to stop). One ip for all of it, in this order: vif, its name,
# bridge and MTU passed the checks above, so they hold nothing the batch reader of ip reads specially.
agm=
if [ -d /proc/sys/net/ipv6 ]; then agm="link set dev $dev addrgenmode none"; fi
ip -batch - <<EOF || refuse "cannot put $dev on $bridge with MTU $mtu, up"
$rename
$agm
link set dev $dev mtu $mtu
link set dev $dev master $bridge
link set dev $dev up
EOF
xenstore-write "$xb/hotplug-status" connected || refuse "cannot write $xb/hotplug-status"
log "admitted $dev of $vm ($mac) onto $bridge"
exit 0
'\''
# shellcheck disable=SC2016
tvd_put '\''/var/lib/tvd/boot.sh'\'' 0755 '\''#!/bin/sh
# tvd-boot: brings this Dom0'\''\'\'''\''s TVD networks back after a reboot.
# Installed by tvd; do not edit. Runs every committed record'\''\'\'''\''s up, in name order (= apply order);
# a record is committed once its attrs.json exists. Goes on past a failure, then exits 1.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
rc=0
for d in /var/lib/tvd/res/*/; do
  [ -f "${d}attrs.json" ] || continue
  if ! sh "${d}up" </dev/null; then
    echo "tvd-boot: ${d}up failed" >&2
    rc=1
  fi
done
exit "$rc"
'\''
tvd_changed=0
tvd_put '\''/etc/systemd/system/tvd-boot.service'\'' 0644 '\''# Installed by tvd; do not edit.
[Unit]
Description=tvd: bring back the TVD networks (bridges, tunnels, firewalls, guests)
Wants=network-online.target
After=network-online.target proc-xen.mount xenstored.service xenconsoled.service xen-init-dom0.service
Before=xendomains.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/var/lib/tvd/boot.sh

[Install]
WantedBy=multi-user.target
'\''
tvd_mkdir '\''/var/log/tvd'\''
tvd_mkdir '\''/etc/systemd/system/multi-user.target.wants'\''
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  if [ "$tvd_changed" = 1 ]; then systemctl daemon-reload; fi
  if ! systemctl is-enabled --quiet tvd-boot.service 2>/dev/null; then systemctl enable --quiet tvd-boot.service; fi
elif [ ! -L '\''/etc/systemd/system/multi-user.target.wants/tvd-boot.service'\'' ]; then
  ln -s '\''/etc/systemd/system/tvd-boot.service'\'' '\''/etc/systemd/system/multi-user.target.wants/tvd-boot.service'\''
fi
' '#!/bin/sh
# tvd down: host-a/proxy/host-a (rendered by tvd; do not edit)
set -eu
# tvd_rmdir DIR: remove DIR, then its parents, while each is tvd'\''s (.tvd-made) and holds nothing else.
tvd_rmdir() {
  while [ -f "$1/.tvd-made" ]; do
    for tvd_e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
      if [ "$tvd_e" != "$1/.tvd-made" ] && { [ -e "$tvd_e" ] || [ -L "$tvd_e" ]; }; then return 0; fi
    done
    rm -f "$1/.tvd-made"
    if ! rmdir "$1" 2>/dev/null; then
      printf '\''tvd made this folder, and removes it once it holds nothing else\n'\'' >"$1/.tvd-made"
      return 0
    fi
    set -- "${1%/*}"
  done
}
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && systemctl is-enabled --quiet tvd-boot.service 2>/dev/null; then
  systemctl disable --quiet tvd-boot.service
fi
rm -f '\''/etc/systemd/system/multi-user.target.wants/tvd-boot.service'\''
rm -f '\''/var/lib/tvd/policy.json'\'' '\''/var/lib/tvd/policy.json.tvd-tmp'\'' '\''/etc/xen/scripts/vif-tvd'\'' '\''/etc/xen/scripts/vif-tvd.tvd-tmp'\'' '\''/var/lib/tvd/boot.sh'\'' '\''/var/lib/tvd/boot.sh.tvd-tmp'\'' '\''/etc/systemd/system/tvd-boot.service'\'' '\''/etc/systemd/system/tvd-boot.service.tvd-tmp'\'' '\''/var/log/tvd/vif-tvd.log'\'' '\''/var/log/tvd/vif-tvd.log.tvd-tmp'\''
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload; fi
tvd_rmdir '\''/var/log/tvd'\''
tvd_rmdir '\''/etc/systemd/system/multi-user.target.wants'\''
tvd_rmdir '\''/etc/xen/scripts'\''
' '{"admissions":[{"vm":"w1","tvd":"web","bridge":"tvd-5101","mac":"00:16:3e:00:01:10"},{"vm":"w1","tvd":"db","bridge":"tvd-5102","mac":"00:16:3e:00:02:10"},{"vm":"d1","tvd":"db","bridge":"tvd-5102","mac":"00:16:3e:00:02:11"}],"hookDigest":"sha256:fixture"}
' >&2 || rc=$?
fi
if [ "$rc" -ne 0 ]; then
  echo '@@tvd fail host-a/proxy/host-a' "$rc"
  tvd_all_ok=0
  tvd_finish
fi
echo '@@tvd ok host-a/proxy/host-a'

# 2/5: host-a/vswitch/web create
echo '@@tvd begin host-a/vswitch/web create'
rc=0
if [ "$rc" -eq 0 ]; then
(
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
) </dev/null >&2 9>&-
rc=$?
fi
if [ "$rc" -eq 0 ]; then
  # shellcheck disable=SC2016,SC1003 # scripts as data: nothing in them may expand here
  tvd_record '01-vswitch.web' 'host-a/vswitch/web' '#!/bin/sh
# tvd up: host-a/vswitch/web (rendered by tvd; do not edit)
set -eu
if ! [ -e /sys/class/net/'\''tvd-5101'\'' ]; then
  ip link add name '\''tvd-5101'\'' type bridge
elif ! { tvd_l=$(ip -d -o link show dev '\''tvd-5101'\'' 2>/dev/null) && case $tvd_l in *'\'' bridge '\''*) ;; *) false ;; esac; }; then
  echo '\''tvd: tvd-5101 exists and is not a bridge'\'' >&2
  exit 1
fi
ip -batch - <<'\''TVD_IP'\''
link set dev tvd-5101 addrgenmode none
link set dev tvd-5101 mtu 1450 up
TVD_IP
# tvd_rmdir DIR: remove DIR, then its parents, while each is tvd'\''s (.tvd-made) and holds nothing else.
tvd_rmdir() {
  while [ -f "$1/.tvd-made" ]; do
    for tvd_e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
      if [ "$tvd_e" != "$1/.tvd-made" ] && { [ -e "$tvd_e" ] || [ -L "$tvd_e" ]; }; then return 0; fi
    done
    rm -f "$1/.tvd-made"
    if ! rmdir "$1" 2>/dev/null; then
      printf '\''tvd made this folder, and removes it once it holds nothing else\n'\'' >"$1/.tvd-made"
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
ip -o link show master '\''tvd-5101'\'' | while IFS='\'': '\'' read -r _ tvd_dev _; do
  tvd_dev=${tvd_dev%%@*}
  case "$tvd_dev" in
    '\''tvv'\''* | '\''tvx-5101'\'' | '\''tvx-5101-'\''* | '\''tvf-5101'\'' | '\''tvq-'\''*) ;;
    *) if [ -f "/var/lib/tvd/nic/$tvd_dev" ]; then tvd_give_back "$tvd_dev"; continue; fi
      echo "tvd: released $tvd_dev from tvd-5101: tvd did not put it there" >&2
      ip link set dev "$tvd_dev" nomaster
      ip link set dev "$tvd_dev" down
      ;;
  esac
done
' '#!/bin/sh
# tvd down: host-a/vswitch/web (rendered by tvd; do not edit)
set -eu
if { tvd_l=$(ip -d -o link show dev '\''tvd-5101'\'' 2>/dev/null) && case $tvd_l in *'\'' bridge '\''*) ;; *) false ;; esac; }; then
  ip link del dev '\''tvd-5101'\''
fi
' '{"tvd":"web","bridge":"tvd-5101","mtu":1450}
' >&2 || rc=$?
fi
if [ "$rc" -ne 0 ]; then
  echo '@@tvd fail host-a/vswitch/web' "$rc"
  tvd_all_ok=0
  tvd_finish
fi
echo '@@tvd ok host-a/vswitch/web'

# 3/5: host-a/transit/db--web replace
echo '@@tvd begin host-a/transit/db--web replace'
rc=0
if [ "$rc" -eq 0 ]; then
(
#!/bin/sh
# tvd down: host-a/transit/db--web (rendered by tvd; do not edit)
set -eu
if ip -n 'tvdfw-db' link show dev 'to-5101' >/dev/null 2>&1; then
  ip -n 'tvdfw-db' link del dev 'to-5101'
fi
if ip -n 'tvdfw-web' link show dev 'to-5102' >/dev/null 2>&1; then
  ip -n 'tvdfw-web' link del dev 'to-5102'
fi
) </dev/null >&2 9>&-
rc=$?
fi
if [ "$rc" -eq 0 ]; then
  rm -rf '/var/lib/tvd/res/05-transit.db--web' >&2 || rc=$?
fi
if [ "$rc" -eq 0 ]; then
(
#!/bin/sh
# tvd up: host-a/transit/db--web (rendered by tvd; do not edit)
set -eu
if ! { tvd_l=$(ip -n 'tvdfw-web' -d -o link show dev 'to-5102' 2>/dev/null) && case $tvd_l in *' vxlan id 16777001 '*) ;; *) false ;; esac && case $tvd_l in *' remote 198.18.0.12 '*) ;; *) false ;; esac && case $tvd_l in *' local 198.18.0.11 '*) ;; *) false ;; esac && case $tvd_l in *' dstport 4789 '*) ;; *) false ;; esac; }; then
  if ip -n 'tvdfw-web' link show dev 'to-5102' >/dev/null 2>&1; then
    ip -n 'tvdfw-web' link del dev 'to-5102'
  fi
  if [ -e /sys/class/net/'tvt-1' ]; then
    ip link del dev 'tvt-1'
  fi
  if ip -n 'tvdfw-web' link show dev 'tvt-1' >/dev/null 2>&1; then
    ip -n 'tvdfw-web' link del dev 'tvt-1'
  fi
  ip link add name 'tvt-1' type vxlan id 16777001 local '198.18.0.11' remote '198.18.0.12' dstport 4789 dev 'eth0'
  ip link set dev 'tvt-1' netns 'tvdfw-web'
  ip -n 'tvdfw-web' link set dev 'tvt-1' name 'to-5102'
fi
ip -n 'tvdfw-web' link set dev 'to-5102' mtu '1450' address '02:74:c6:12:80:03' up
tvd_a4=$(ip -n 'tvdfw-web' -o -4 addr show dev 'to-5102')
if [ -n "$tvd_a4" ]; then printf '%s\n' "$tvd_a4"; fi | while read -r _ _ _ tvd_a _; do
  if [ "$tvd_a" != '198.18.128.3/31' ]; then ip -n 'tvdfw-web' addr del "$tvd_a" dev 'to-5102'; fi
done
case $tvd_a4 in *" inet "'198.18.128.3/31'" "*) ;; *) ip -n 'tvdfw-web' addr add '198.18.128.3/31' dev 'to-5102' ;; esac
ip -n 'tvdfw-web' route replace '198.19.2.0/24' via '198.18.128.2' dev 'to-5102'
) </dev/null >&2 9>&-
rc=$?
fi
if [ "$rc" -eq 0 ]; then
  # shellcheck disable=SC2016,SC1003 # scripts as data: nothing in them may expand here
  tvd_record '05-transit.db--web' 'host-a/transit/db--web' '#!/bin/sh
# tvd up: host-a/transit/db--web (rendered by tvd; do not edit)
set -eu
if ! { tvd_l=$(ip -n '\''tvdfw-web'\'' -d -o link show dev '\''to-5102'\'' 2>/dev/null) && case $tvd_l in *'\'' vxlan id 16777001 '\''*) ;; *) false ;; esac && case $tvd_l in *'\'' remote 198.18.0.12 '\''*) ;; *) false ;; esac && case $tvd_l in *'\'' local 198.18.0.11 '\''*) ;; *) false ;; esac && case $tvd_l in *'\'' dstport 4789 '\''*) ;; *) false ;; esac; }; then
  if ip -n '\''tvdfw-web'\'' link show dev '\''to-5102'\'' >/dev/null 2>&1; then
    ip -n '\''tvdfw-web'\'' link del dev '\''to-5102'\''
  fi
  if [ -e /sys/class/net/'\''tvt-1'\'' ]; then
    ip link del dev '\''tvt-1'\''
  fi
  if ip -n '\''tvdfw-web'\'' link show dev '\''tvt-1'\'' >/dev/null 2>&1; then
    ip -n '\''tvdfw-web'\'' link del dev '\''tvt-1'\''
  fi
  ip link add name '\''tvt-1'\'' type vxlan id 16777001 local '\''198.18.0.11'\'' remote '\''198.18.0.12'\'' dstport 4789 dev '\''eth0'\''
  ip link set dev '\''tvt-1'\'' netns '\''tvdfw-web'\''
  ip -n '\''tvdfw-web'\'' link set dev '\''tvt-1'\'' name '\''to-5102'\''
fi
ip -n '\''tvdfw-web'\'' link set dev '\''to-5102'\'' mtu '\''1450'\'' address '\''02:74:c6:12:80:03'\'' up
tvd_a4=$(ip -n '\''tvdfw-web'\'' -o -4 addr show dev '\''to-5102'\'')
if [ -n "$tvd_a4" ]; then printf '\''%s\n'\'' "$tvd_a4"; fi | while read -r _ _ _ tvd_a _; do
  if [ "$tvd_a" != '\''198.18.128.3/31'\'' ]; then ip -n '\''tvdfw-web'\'' addr del "$tvd_a" dev '\''to-5102'\''; fi
done
case $tvd_a4 in *" inet "'\''198.18.128.3/31'\''" "*) ;; *) ip -n '\''tvdfw-web'\'' addr add '\''198.18.128.3/31'\'' dev '\''to-5102'\'' ;; esac
ip -n '\''tvdfw-web'\'' route replace '\''198.19.2.0/24'\'' via '\''198.18.128.2'\'' dev '\''to-5102'\''
' '#!/bin/sh
# tvd down: host-a/transit/db--web (rendered by tvd; do not edit)
set -eu
if ip -n '\''tvdfw-web'\'' link show dev '\''to-5102'\'' >/dev/null 2>&1; then
  ip -n '\''tvdfw-web'\'' link del dev '\''to-5102'\''
fi
if [ -e /sys/class/net/'\''tvt-1'\'' ]; then
  ip link del dev '\''tvt-1'\''
fi
if ip -n '\''tvdfw-web'\'' link show dev '\''tvt-1'\'' >/dev/null 2>&1; then
  ip -n '\''tvdfw-web'\'' link del dev '\''tvt-1'\''
fi
' '{"pair":["db","web"],"kind":"vxlan","ends":[{"tvd":"web","namespace":"tvdfw-web","ifname":"to-5102","address":"198.18.128.3/31","mac":"02:74:c6:12:80:03","peerAddress":"198.18.128.2/31","peerSubnet":"198.19.2.0/24"}],"vni":16777001,"device":"tvt-1","uplink":"eth0","local":"198.18.0.11","remote":"198.18.0.12","dstport":4789,"mtu":1450}
' >&2 || rc=$?
fi
if [ "$rc" -ne 0 ]; then
  echo '@@tvd fail host-a/transit/db--web' "$rc"
  tvd_all_ok=0
  tvd_finish
fi
echo '@@tvd ok host-a/transit/db--web'

# 4/5: host-a/vm/w1 update
echo '@@tvd begin host-a/vm/w1 update'
rc=0
if [ "$rc" -eq 0 ]; then
(
set -eu
if xl list 'w1' >/dev/null 2>&1; then
  if ! xl network-list 'w1' 2>/dev/null | grep -qiF '00:16:3e:00:02:10'; then
    xl network-attach 'w1' 'mac=00:16:3e:00:02:10' 'bridge=tvd-5102' 'script=vif-tvd' 'vifname=tvv1a2b3c4.1'
  fi
fi
) </dev/null >&2 9>&-
rc=$?
fi
if [ "$rc" -eq 0 ]; then
(
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
vif = [ '\''mac=00:16:3e:00:01:10,bridge=tvd-5101,ip=198.19.1.10,script=vif-tvd,vifname=tvv1a2b3c4.0,mtu=1450'\'', '\''mac=00:16:3e:00:02:10,bridge=tvd-5102,script=vif-tvd,vifname=tvv1a2b3c4.1,mtu=1450'\'' ]
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
if ! [ -e /sys/class/net/'tvv1a2b3c4.1' ] && d=$(xl domid 'w1' 2>/dev/null); then
  for i in $(xenstore-list "backend/vif/$d" 2>/dev/null); do
    if [ -e "/sys/class/net/vif$d.$i" ] && [ "$(xenstore-read "backend/vif/$d/$i/mac" 2>/dev/null)" = '00:16:3e:00:02:10' ]; then
      ip link set dev "vif$d.$i" down && ip link set dev "vif$d.$i" name 'tvv1a2b3c4.1'
    fi
  done
fi
if [ -e /sys/class/net/'tvv1a2b3c4.1' ] && ! [ -e /sys/class/net/'tvv1a2b3c4.1'/upper_'tvd-5102' ]; then
  ip link set dev 'tvv1a2b3c4.1' master 'tvd-5102' up
fi
) </dev/null >&2 9>&-
rc=$?
fi
if [ "$rc" -eq 0 ]; then
  # shellcheck disable=SC2016,SC1003 # scripts as data: nothing in them may expand here
  tvd_record '06-vm.w1' 'host-a/vm/w1' '#!/bin/sh
# tvd up: host-a/vm/w1 (rendered by tvd; do not edit)
set -eu
# tvd_mkdir DIR: make DIR and its missing parents, each marked as tvd'\''s (.tvd-made).
tvd_mkdir() {
  if [ -z "$1" ] || [ -d "$1" ]; then return 0; fi
  tvd_mkdir "${1%/*}" || return 1
  mkdir "$1" && printf '\''tvd made this folder, and removes it once it holds nothing else\n'\'' >"$1/.tvd-made"
}
# shellcheck disable=SC2034 # tvd_changed is read only by the scripts that care
{
tvd_changed=0
tvd_put() {
  if [ -f "$1" ] && printf '\''%s'\'' "$3" | cmp -s - "$1"; then
    chmod "$2" "$1"
    return 0
  fi
  tvd_mkdir "${1%/*}"
  (umask 077 && printf '\''%s'\'' "$3" >"$1.tvd-tmp")
  chown 0:0 "$1.tvd-tmp"
  chmod "$2" "$1.tvd-tmp"
  mv -f "$1.tvd-tmp" "$1"
  tvd_changed=1
}
}
tvd_put '\''/etc/xen/tvd/w1.cfg'\'' 0644 '\''# VM w1 on host host-a: managed by tvd, do not edit (changes are undone by the next apply).
name = "w1"
type = "pvh"
memory = 512
vcpus = 1
kernel = "/boot/vmlinuz-guest"
extra = "ip=198.19.1.10::198.19.1.1:255.255.255.0::eth0:off"
vif = [ '\''\'\'''\''mac=00:16:3e:00:01:10,bridge=tvd-5101,ip=198.19.1.10,script=vif-tvd,vifname=tvv1a2b3c4.0,mtu=1450'\''\'\'''\'', '\''\'\'''\''mac=00:16:3e:00:02:10,bridge=tvd-5102,script=vif-tvd,vifname=tvv1a2b3c4.1,mtu=1450'\''\'\'''\'' ]
'\''
if ! xl list '\''w1'\'' >/dev/null 2>&1; then
  xl create '\''/etc/xen/tvd/w1.cfg'\''
elif [ "$tvd_changed" = 1 ]; then
  echo '\''tvd: w1 is running; its new config takes effect when it next starts'\'' >&2
fi
if ! [ -e /sys/class/net/'\''tvv1a2b3c4.0'\'' ] && d=$(xl domid '\''w1'\'' 2>/dev/null); then
  for i in $(xenstore-list "backend/vif/$d" 2>/dev/null); do
    if [ -e "/sys/class/net/vif$d.$i" ] && [ "$(xenstore-read "backend/vif/$d/$i/mac" 2>/dev/null)" = '\''00:16:3e:00:01:10'\'' ]; then
      ip link set dev "vif$d.$i" down && ip link set dev "vif$d.$i" name '\''tvv1a2b3c4.0'\''
    fi
  done
fi
if [ -e /sys/class/net/'\''tvv1a2b3c4.0'\'' ] && ! [ -e /sys/class/net/'\''tvv1a2b3c4.0'\''/upper_'\''tvd-5101'\'' ]; then
  ip link set dev '\''tvv1a2b3c4.0'\'' master '\''tvd-5101'\'' up
fi
if ! [ -e /sys/class/net/'\''tvv1a2b3c4.1'\'' ] && d=$(xl domid '\''w1'\'' 2>/dev/null); then
  for i in $(xenstore-list "backend/vif/$d" 2>/dev/null); do
    if [ -e "/sys/class/net/vif$d.$i" ] && [ "$(xenstore-read "backend/vif/$d/$i/mac" 2>/dev/null)" = '\''00:16:3e:00:02:10'\'' ]; then
      ip link set dev "vif$d.$i" down && ip link set dev "vif$d.$i" name '\''tvv1a2b3c4.1'\''
    fi
  done
fi
if [ -e /sys/class/net/'\''tvv1a2b3c4.1'\'' ] && ! [ -e /sys/class/net/'\''tvv1a2b3c4.1'\''/upper_'\''tvd-5102'\'' ]; then
  ip link set dev '\''tvv1a2b3c4.1'\'' master '\''tvd-5102'\'' up
fi
' '#!/bin/sh
# tvd down: host-a/vm/w1 (rendered by tvd; do not edit)
set -eu
# tvd_rmdir DIR: remove DIR, then its parents, while each is tvd'\''s (.tvd-made) and holds nothing else.
tvd_rmdir() {
  while [ -f "$1/.tvd-made" ]; do
    for tvd_e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
      if [ "$tvd_e" != "$1/.tvd-made" ] && { [ -e "$tvd_e" ] || [ -L "$tvd_e" ]; }; then return 0; fi
    done
    rm -f "$1/.tvd-made"
    if ! rmdir "$1" 2>/dev/null; then
      printf '\''tvd made this folder, and removes it once it holds nothing else\n'\'' >"$1/.tvd-made"
      return 0
    fi
    set -- "${1%/*}"
  done
}
if xl list '\''w1'\'' >/dev/null 2>&1; then
  xl destroy '\''w1'\''
fi
rm -f '\''/etc/xen/tvd/w1.cfg'\'' '\''/etc/xen/tvd/w1.cfg.tvd-tmp'\''
tvd_rmdir '\''/etc/xen/tvd'\''
' '{"path":"/etc/xen/tvd/w1.cfg","domain":{"type":"pvh","memory":512,"vcpus":1,"kernel":"/boot/vmlinuz-guest","extra":"ip=198.19.1.10::198.19.1.1:255.255.255.0::eth0:off"},"start":true,"nics":[{"tvd":"web","bridge":"tvd-5101","mac":"00:16:3e:00:01:10","ip":"198.19.1.10","vifname":"tvv1a2b3c4.0","mtu":1450},{"tvd":"db","bridge":"tvd-5102","mac":"00:16:3e:00:02:10","vifname":"tvv1a2b3c4.1","mtu":1450}]}
' >&2 || rc=$?
fi
if [ "$rc" -ne 0 ]; then
  echo '@@tvd fail host-a/vm/w1' "$rc"
  tvd_all_ok=0
  tvd_finish
fi
echo '@@tvd ok host-a/vm/w1'

# 5/5: host-a/vm/d1 delete
echo '@@tvd begin host-a/vm/d1 delete'
rc=0
if [ "$rc" -eq 0 ]; then
(
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
) </dev/null >&2 9>&-
rc=$?
fi
if [ "$rc" -eq 0 ]; then
  rm -rf '/var/lib/tvd/res/06-vm.d1' >&2 || rc=$?
fi
if [ "$rc" -ne 0 ]; then
  echo '@@tvd fail host-a/vm/d1' "$rc"
  tvd_all_ok=0
  tvd_finish
fi
echo '@@tvd ok host-a/vm/d1'

tvd_finish
