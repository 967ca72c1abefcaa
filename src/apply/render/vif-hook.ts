// /etc/xen/scripts/vif-tvd: the Xen vif hotplug script that enforces the host's TVD policy.
// Xen runs it (script=vif-tvd in each vif line) as `vif-tvd online|offline|add|remove` with
// vif=<backend ifname> and XENBUS_PATH=backend/vif/<domid>/<devid> in the environment.
// It admits a vif onto a bridge only when policy.json holds the exact line for (VM name,
// bridge, MAC) (see policy-file.ts), so a VM's own config can never put it on a TVD: the
// decision is the proxy's. Everything read from xenstore is checked against strict patterns
// first, since a guest's owner chooses its name and config. A refusal is logged, written to
// the backend's hotplug-error, and exits 1, so Xen fails the attach.
import { TVD_MKDIR } from '../../host/own-folders.js';
import { POLICY_PATH, VIF_HOOK_LOG } from '../../host/paths.js';
import { sh } from './quote.js';

export const VIF_HOOK = sh`#!/bin/sh
# vif-tvd: admits a Xen vif onto a TVD bridge only as ${POLICY_PATH} allows.
# Installed by tvd; do not edit (the next apply puts it back).
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LC_ALL=C
export PATH LC_ALL
POLICY=${POLICY_PATH}
LOG=${VIF_HOOK_LOG}
NL='
'

# The proxy's up makes the log's folder; should it have gone since, it is made marked as tvd's.
${TVD_MKDIR}

log() {
  tvd_mkdir "\${LOG%/*}" 2>/dev/null
  printf '%s vif-tvd: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$1" >>"$LOG" 2>/dev/null
  if command -v logger >/dev/null 2>&1; then logger -t vif-tvd -- "$1" 2>/dev/null; fi
  return 0
}

# refuse WHY: log, tell Xen (hotplug-error), fail. WHY holds checked values only.
refuse() {
  log "refused \${vif_ok:-a vif}: $1"
  if [ -n "$xb" ]; then
    xenstore-write "$xb/hotplug-error" "$1" "$xb/hotplug-status" error 2>/dev/null
  fi
  exit 1
}

ok_name() {
  case $1 in '' | [!a-z]* | *[!a-z0-9-]*) return 1 ;; esac
  [ "\${#1}" -le 32 ]
}
ok_ifname() {
  case $1 in '' | [!a-zA-Z]* | *[!a-zA-Z0-9_.-]*) return 1 ;; esac
  [ "\${#1}" -le 15 ]
}
ok_int() {
  case $1 in '' | *[!0-9]*) return 1 ;; esac
  [ "\${#1}" -le 9 ]
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
  xs_val=\${xs_val%.}
  xs_val=\${xs_val%"$NL"}
}

action=\${1:-}
xb=
vif_ok=

# XENBUS_PATH names the domain and the device: accept only the plain vif backend form.
case \${XENBUS_PATH:-} in
  backend/vif/*) rest=\${XENBUS_PATH#backend/vif/} ;;
  /local/domain/0/backend/vif/*) rest=\${XENBUS_PATH#/local/domain/0/backend/vif/} ;;
  *) refuse "XENBUS_PATH is not a vif backend path" ;;
esac
path_domid=\${rest%%/*}
devid=\${rest#*/}
if ! ok_int "$path_domid" || ! ok_int "$devid"; then
  refuse "XENBUS_PATH is not a vif backend path"
fi
xb=$XENBUS_PATH
if ! ok_ifname "\${vif:-}"; then
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
case $mac in *[A-F]*) mac=$(printf '%s.' "$mac" | tr 'A-F' 'a-f') && mac=\${mac%.} ;; esac
ok_mac "$mac" || refuse "the mac in $xb is not a MAC address"
xs_read "$xb/frontend-id" || refuse "no frontend-id in $xb"
domid=$xs_val
ok_int "$domid" || refuse "the frontend-id in $xb is not a number"
[ "$domid" = "$path_domid" ] || refuse "frontend-id $domid does not match $xb"
xs_read "/local/domain/$domid/name" || refuse "domain $domid has no name"
vm=$xs_val
ok_name "$vm" || refuse "domain $domid has a name tvd does not accept"

[ -f "$POLICY" ] || refuse "no policy at $POLICY"
line="{\\"vm\\":\\"$vm\\",\\"bridge\\":\\"$bridge\\",\\"mac\\":\\"$mac\\"}"
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
# No IPv6 link-local address for Dom0 on the vif: Dom0 is not a host on a TVD's network
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
`;
