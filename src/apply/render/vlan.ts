// vlan: the TVD's 802.1Q device on the uplink, a port of the TVD's bridge.
import type { Resource } from '../../plan/resources.js';
import { assertSafe, q, shQuote, sh, type Sh } from './quote.js';
import { deleteLink, fabricPort } from './links.js';
import { script } from './script.js';

export function vlanUp(r: Resource<'vlan'>): Sh {
  const a = r.attrs;
  const [dev, uplink, id] = [q('ifname', a.device), q('ifname', a.uplink), q('int', a.id)];
  const want = [
    shQuote(` vlan protocol 802.1Q id ${assertSafe('int', a.id)} `),
    shQuote(`: ${assertSafe('ifname', a.device)}@${assertSafe('ifname', a.uplink)}:`),
  ];
  const add = sh`ip link add link ${uplink} name ${dev} type vlan id ${id}`;
  return script('up', r.address, fabricPort(a.device, want, add, undefined, a.bridge));
}

export function vlanDown(r: Resource<'vlan'>): Sh {
  return script('down', r.address, deleteLink(null, q('ifname', r.attrs.device)));
}
