// vswitch: a TVD's Linux bridge on a host, with the NIC dedicated to the TVD enslaved when it has one.
import type { Resource } from '../../plan/resources.js';
import { assertSafe, bare, q, sh, shGlob, shJoin, shQuote, type Sh } from './quote.js';
import { ipBatch, isolatedUp, linkExists, linkMatches } from './links.js';
import { script, TVD_PUT } from './script.js';
import { TVD_RMDIR } from '../../host/own-folders.js';
import { TAKEN_NICS_DIR } from '../../host/paths.js';

/**
 * Per NIC tvd took as a TVD's dedicated NIC: `up` or `down`, how tvd first found it, so that it
 * goes back so (a NIC that was down is put down again) when tvd lets it go.
 */

// tvd_give_back NIC: off its bridge, and down again if it was down when tvd took it. Only for a
// NIC tvd took (it has a file in TAKEN_NICS_DIR); the name is the kernel's, without a slash.
const GIVE_BACK = sh`${TVD_RMDIR}

# tvd_give_back NIC: a NIC tvd took as dedicated goes back as tvd found it.
tvd_give_back() {
  [ -f "${TAKEN_NICS_DIR}/$1" ] || return 0
  tvd_was=up
  { read -r tvd_was || :; } <"${TAKEN_NICS_DIR}/$1"
  if [ -e "/sys/class/net/$1" ]; then
    if [ "$tvd_was" = down ]; then ip link set dev "$1" nomaster down; else ip link set dev "$1" nomaster; fi
  fi
  rm -f "${TAKEN_NICS_DIR}/$1"
  tvd_rmdir ${TAKEN_NICS_DIR}
}`;

const isBridge = (br: Sh) => linkMatches(null, br, [shQuote(' bridge ')]);

export function vswitchUp(r: Resource<'vswitch'>): Sh {
  const a = r.attrs;
  const br = q('ifname', a.bridge);
  const body: Sh[] = [
    sh`if ! ${linkExists(null, br)}; then`,
    sh`  ip link add name ${br} type bridge`,
    sh`elif ! ${isBridge(br)}; then`,
    // Not ours: a foreign link with the name tvd derives. Stop rather than delete it.
    sh`  echo ${shQuote(`tvd: ${a.bridge} exists and is not a bridge`)} >&2`,
    sh`  exit 1`,
    sh`fi`,
  ];
  const [bw, mtu] = [assertSafe('ifname', a.bridge), assertSafe('int', a.mtu)];
  // No IPv6 link-local address: Dom0 is not a host on a TVD's network.
  const set = [
    ['link', 'set', 'dev', bw, 'addrgenmode', 'none'],
    ['link', 'set', 'dev', bw, 'mtu', mtu, 'up'],
  ];
  if (a.dedicated !== undefined) {
    const nic = assertSafe('ifname', a.dedicated);
    set.push(['link', 'set', 'dev', nic, 'master', bw], ...isolatedUp(nic));
    const [qn, taken] = [shQuote(nic), shQuote(`${TAKEN_NICS_DIR}/${nic}`)];
    // The first time tvd takes the NIC, how it was (the IFF_UP bit of its flags, read by the
    // shell). A missing NIC is left to the batch below, whose error names it.
    body.push(
      TVD_PUT,
      sh`if [ -e /sys/class/net/${qn} ] && [ ! -e /sys/class/net/${qn}/upper_${br} ] && [ ! -f ${taken} ]; then`,
      sh`  read -r tvd_flags </sys/class/net/${qn}/flags`,
      sh`  if [ $((tvd_flags & 1)) = 1 ]; then tvd_put ${taken} 0644 up; else tvd_put ${taken} 0644 down; fi`,
      sh`fi`,
    );
  }
  body.push(...ipBatch(null, set), GIVE_BACK, ...releaseForeignPorts(a.bridge, a.dedicated));
  return script('up', r.address, body);
}

/**
 * A TVD's bridge is tvd's alone: a port that tvd did not put there (a vif attached with another
 * hotplug script, a veth enslaved by hand) breaks the TVD's isolation, so `up` releases it from
 * the bridge (nomaster, down). The link itself is left alone: it is not tvd's to delete.
 * tvd's own ports are known by name: VM vifs (tvv*, admitted by the vif hook), this TVD's
 * tunnel devices (tvx-ID, tvx-ID-*), its firewall leg (tvf-ID), VLAN devices (tvq-*) and the
 * dedicated NIC. `tvd verify` reports every foreign port, by exact name, as a finding.
 */
function releaseForeignPorts(bridge: string, dedicated: string | undefined): Sh[] {
  const br = q('ifname', bridge);
  const id = /^tvd-(\d+)$/.exec(bridge)?.[1];
  const own =
    id === undefined ? ['tvv*', 'tvq-*'] : ['tvv*', `tvx-${id}`, `tvx-${id}-*`, `${`tvx-${id}`.slice(0, 9)}-*`, `tvf-${id}`, 'tvq-*'];
  if (dedicated !== undefined) own.push(assertSafe('ifname', dedicated));
  return [
    sh`ip -o link show master ${br} | while IFS=': ' read -r _ tvd_dev _; do`,
    sh`  tvd_dev=\${tvd_dev%%@*}`,
    sh`  case "$tvd_dev" in`,
    sh`    ${shJoin([...new Set(own)].map(shGlob), ' | ')}) ;;`,
    // A NIC tvd took as dedicated and no longer is: back as tvd found it.
    sh`    *) if [ -f "${TAKEN_NICS_DIR}/$tvd_dev" ]; then tvd_give_back "$tvd_dev"; continue; fi`,
    sh`      echo "tvd: released $tvd_dev from ${bare('ifname', bridge)}: tvd did not put it there" >&2`,
    sh`      ip link set dev "$tvd_dev" nomaster`,
    sh`      ip link set dev "$tvd_dev" down`,
    sh`      ;;`,
    sh`  esac`,
    sh`done`,
  ];
}

export function vswitchDown(r: Resource<'vswitch'>): Sh {
  const br = q('ifname', r.attrs.bridge);
  // Deleting the bridge releases its ports; the dedicated NIC then goes back as tvd found it.
  const body: Sh[] = [sh`if ${isBridge(br)}; then`, sh`  ip link del dev ${br}`, sh`fi`];
  if (r.attrs.dedicated !== undefined) body.push(GIVE_BACK, sh`tvd_give_back ${q('ifname', r.attrs.dedicated)}`);
  return script('down', r.address, body);
}
