// vlan: the TVD's 802.1Q device on the uplink, a port of the TVD's bridge.
import type { Resource } from '../../plan/resources.js';
import { assertSafe, q, shQuote } from './quote.js';
import { deleteLink, linkMatches } from './links.js';
import { script } from './script.js';

export function vlanUp(r: Resource<'vlan'>): string {
  const a = r.attrs;
  const [dev, uplink, br, id] = [q('ifname', a.device), q('ifname', a.uplink), q('ifname', a.bridge), q('int', a.id)];
  const want = [
    shQuote(` vlan protocol 802.1Q id ${assertSafe('int', a.id)} `),
    shQuote(`: ${assertSafe('ifname', a.device)}@${assertSafe('ifname', a.uplink)}:`),
  ];
  return script('up', r.address, [
    `if ! ${linkMatches(null, dev, want)}; then`,
    ...deleteLink(null, dev).map((l) => `  ${l}`),
    `  ip link add link ${uplink} name ${dev} type vlan id ${id}`,
    'fi',
    `ip link set dev ${dev} addrgenmode none`,
    `ip link set dev ${dev} master ${br}`,
    // Fabric ports never forward to each other: with VLAN and VXLAN on one bridge a frame
    // would otherwise reach a host twice (a full mesh needs split horizon).
    `bridge link set dev ${dev} isolated on`,
    `ip link set dev ${dev} up`,
  ]);
}

export function vlanDown(r: Resource<'vlan'>): string {
  return script('down', r.address, deleteLink(null, q('ifname', r.attrs.device)));
}
