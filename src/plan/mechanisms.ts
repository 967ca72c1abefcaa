// How a TVD crosses from one host to another: per host pair the cheapest mechanism both
// capability models support (spec: dedicated NIC, then 802.1Q on a shared segment, then
// encapsulation over IP).
import type { Capabilities } from '../capabilities/schema.js';
import type { Encapsulation, HostSpec } from '../topology/schema.js';

export type Mechanism = { kind: 'dedicated' } | { kind: 'vlan' } | { kind: 'encap'; encap: Encapsulation };

export type PairChoice = { ok: true; mechanism: Mechanism } | { ok: false; missing: string };

interface HostView {
  name: string;
  spec: HostSpec;
  caps: Capabilities;
}

function vlanCapable(h: HostView): boolean {
  return h.caps.mechanisms.vlan && h.caps.functional.includes('vlan');
}

function encapCapable(h: HostView, e: Encapsulation): boolean {
  return h.caps.mechanisms[e] && h.caps.functional.includes('ip');
}

export function choosePairMechanism(tvd: string, a: HostView, b: HostView, encap: Encapsulation): PairChoice {
  if (a.spec.dedicated?.[tvd] && b.spec.dedicated?.[tvd]) return { ok: true, mechanism: { kind: 'dedicated' } };
  const sameSegment = a.spec.segment !== undefined && a.spec.segment === b.spec.segment;
  if (sameSegment && vlanCapable(a) && vlanCapable(b)) return { ok: true, mechanism: { kind: 'vlan' } };
  if (encapCapable(a, encap) && encapCapable(b, encap)) return { ok: true, mechanism: { kind: 'encap', encap } };
  const lacking = [a, b].filter((h) => !encapCapable(h, encap)).map((h) => h.name);
  const why = sameSegment ? `802.1Q VLANs on both or ${encap} on both` : `${encap} on both (they are not in one segment, so no VLAN)`;
  return { ok: false, missing: `needs ${why}; ${lacking.join(' and ')} ${lacking.length > 1 ? 'lack' : 'lacks'} ${encap}` };
}

/** Bytes each encapsulation adds on an IPv4 underlay. */
export const ENCAP_OVERHEAD: Record<Encapsulation, number> = { vxlan: 50, gretap: 38, etherip: 34 };
