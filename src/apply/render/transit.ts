// transit: the link that joins two connected TVDs' firewall namespaces.
//   veth: both firewalls on this host; the pair is made with each end directly in its
//     namespace under its final name, so no temporary name ever exists in the root namespace.
//   vxlan: the other firewall is on another host; a point-to-point VXLAN is made in the root
//     namespace under its root-side name (attrs.device), where its UDP socket stays, then
//     moved into the firewall's namespace and renamed.
// Each end then gets its /31, MTU, and the route to the peer TVD's subnet.
import type { Resource, TransitAttrs, TransitEnd } from '../../plan/resources.js';
import { assertSafe, bare, q, shQuote, sh, type Sh } from './quote.js';
import { deleteLink, exactAddress, indent, linkMatches } from './links.js';
import { script } from './script.js';

export function transitUp(r: Resource<'transit'>): Sh {
  const a = r.attrs;
  const make = a.kind === 'veth' ? vethPair(a) : vxlanEnd(a);
  return script('up', r.address, [...make, ...a.ends.flatMap((e) => endSetup(e, a.mtu))]);
}

export function transitDown(r: Resource<'transit'>): Sh {
  const a = r.attrs;
  const lines = a.ends.flatMap((e) => deleteLink(q('ifname', e.namespace), q('ifname', e.ifname)));
  if (a.kind === 'vxlan') {
    const tmp = q('ifname', rootName(a));
    lines.push(...deleteLink(null, tmp), ...a.ends.flatMap((e) => deleteLink(q('ifname', e.namespace), tmp)));
  }
  return script('down', r.address, lines);
}

function vethPair(a: TransitAttrs): Sh[] {
  if (a.ends.length !== 2) throw new Error(`a veth transit has two ends, not ${a.ends.length}`);
  const [e0, e1] = a.ends.map((e) => ({ ns: q('ifname', e.namespace), dev: q('ifname', e.ifname) }));
  return [
    sh`if ! ${linkMatches(e0.ns, e0.dev, [shQuote(' veth ')])} || ! ${linkMatches(e1.ns, e1.dev, [shQuote(' veth ')])}; then`,
    ...indent(deleteLink(e0.ns, e0.dev)),
    ...indent(deleteLink(e1.ns, e1.dev)),
    sh`  ip link add name ${e0.dev} netns ${e0.ns} type veth peer name ${e1.dev} netns ${e1.ns}`,
    sh`fi`,
  ];
}

/** The VXLAN's name in the root namespace, before it moves: the planner's device, else one from the VNI. */
function rootName(a: TransitAttrs): string {
  return assertSafe('ifname', a.device ?? `tvt${assertSafe('int', a.vni)}`);
}

function vxlanEnd(a: TransitAttrs): Sh[] {
  if (a.ends.length !== 1) throw new Error(`a vxlan transit has one end on a host, not ${a.ends.length}`);
  const e = a.ends[0];
  const [ns, dev, tmp] = [q('ifname', e.namespace), q('ifname', e.ifname), q('ifname', rootName(a))];
  const [vni, local, remote, port] = [bare('int', a.vni), bare('ipv4', a.local), bare('ipv4', a.remote), bare('int', a.dstport)];
  const want = [` vxlan id ${vni} `, ` remote ${remote} `, ` local ${local} `, ` dstport ${port} `].map(shQuote);
  return [
    sh`if ! ${linkMatches(ns, dev, want)}; then`,
    ...indent(deleteLink(ns, dev)),
    // Leftovers of a run that stopped between create and rename.
    ...indent(deleteLink(null, tmp)),
    ...indent(deleteLink(ns, tmp)),
    sh`  ip link add name ${tmp} type vxlan id ${vni} local ${shQuote(local)} remote ${shQuote(remote)} dstport ${port} dev ${q('ifname', a.uplink)}`,
    sh`  ip link set dev ${tmp} netns ${ns}`,
    sh`  ip -n ${ns} link set dev ${tmp} name ${dev}`,
    sh`fi`,
  ];
}

function endSetup(e: TransitEnd, mtu: number): Sh[] {
  const [ns, dev] = [q('ifname', e.namespace), q('ifname', e.ifname)];
  const peer = assertSafe('ipv4', e.peerAddress.replace(/\/31$/, ''));
  return [
    sh`ip -n ${ns} link set dev ${dev} mtu ${q('int', mtu)}${e.mac !== undefined ? sh` address ${q('mac', e.mac)}` : sh``} up`,
    ...exactAddress(ns, dev, q('cidr', e.address)),
    sh`ip -n ${ns} route replace ${q('cidr', e.peerSubnet)} via ${shQuote(peer)} dev ${dev}`,
  ];
}
