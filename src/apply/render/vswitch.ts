// vswitch: a TVD's Linux bridge on a host, with the NIC dedicated to the TVD enslaved when it has one.
import type { Resource } from '../../plan/resources.js';
import { assertSafe, q, shQuote } from './quote.js';
import { ipBatch, isolatedUp, linkExists, linkMatches } from './links.js';
import { script } from './script.js';

const isBridge = (br: string) => linkMatches(null, br, [shQuote(' bridge ')]);

export function vswitchUp(r: Resource<'vswitch'>): string {
  const a = r.attrs;
  const br = q('ifname', a.bridge);
  const body = [
    `if ! ${linkExists(null, br)}; then`,
    `  ip link add name ${br} type bridge`,
    `elif ! ${isBridge(br)}; then`,
    // Not ours: a foreign link with the name tvd derives. Stop rather than delete it.
    `  echo ${shQuote(`tvd: ${a.bridge} exists and is not a bridge`)} >&2`,
    '  exit 1',
    'fi',
  ];
  const [bw, mtu] = [assertSafe('ifname', a.bridge), assertSafe('int', a.mtu)];
  // No IPv6 link-local address: Dom0 is not a host on a TVD's network.
  const set = [['link', 'set', 'dev', bw, 'addrgenmode', 'none'], ['link', 'set', 'dev', bw, 'mtu', mtu, 'up']];
  if (a.dedicated !== undefined) {
    const nic = assertSafe('ifname', a.dedicated);
    set.push(['link', 'set', 'dev', nic, 'master', bw], ...isolatedUp(nic));
  }
  body.push(...ipBatch(null, set), ...releaseForeignPorts(a.bridge, a.dedicated));
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
function releaseForeignPorts(bridge: string, dedicated: string | undefined): string[] {
  const br = q('ifname', bridge);
  const id = /^tvd-(\d+)$/.exec(bridge)?.[1];
  const own = id === undefined ? ['tvv*', 'tvq-*'] : ['tvv*', `tvx-${id}`, `tvx-${id}-*`, `${`tvx-${id}`.slice(0, 9)}-*`, `tvf-${id}`, 'tvq-*'];
  if (dedicated !== undefined) own.push(assertSafe('ifname', dedicated));
  return [
    `ip -o link show master ${br} | while IFS=': ' read -r _ tvd_dev _; do`,
    '  tvd_dev=${tvd_dev%%@*}',
    '  case "$tvd_dev" in',
    `    ${[...new Set(own)].map((p) => p.replace(/[^*]+/g, (lit) => shQuote(lit))).join(' | ')}) ;;`,
    '    *)',
    `      echo "tvd: released $tvd_dev from ${assertSafe('ifname', bridge)}: tvd did not put it there" >&2`,
    '      ip link set dev "$tvd_dev" nomaster',
    '      ip link set dev "$tvd_dev" down',
    '      ;;',
    '  esac',
    'done',
  ];
}

export function vswitchDown(r: Resource<'vswitch'>): string {
  const br = q('ifname', r.attrs.bridge);
  // Deleting the bridge releases its ports (the dedicated NIC among them).
  return script('down', r.address, [`if ${isBridge(br)}; then`, `  ip link del dev ${br}`, 'fi']);
}
