// How a TVD crosses from one host to another: per host pair the cheapest mechanism both
// capability models support (spec: dedicated NIC, then 802.1Q on a shared segment, then
// encapsulation over IP). The choice is made from the evidence alone, and the evidence is
// returned with it, so that `tvd plan --explain` shows exactly what decided.
import type { Capabilities } from '../capabilities/schema.js';
import type { Encapsulation, HostSpec } from '../topology/schema.js';

export type Mechanism = { kind: 'dedicated' } | { kind: 'vlan' } | { kind: 'encap'; encap: Encapsulation };

/** What one host offers one TVD: from its entry in the topology and its capability model. */
export interface HostEvidence {
  host: string;
  /** hosts.<h>.segment */
  segment?: string;
  /** hosts.<h>.dedicated.<tvd> */
  dedicated?: string;
  /** The capability model: mechanisms.vlan, and "vlan" in functional. */
  vlan: { mechanism: boolean; functional: boolean };
  /** The capability model: mechanisms.<encap>, and "ip" in functional. */
  encap: { mechanism: boolean; functional: boolean };
}

export type PairChoice =
  | { ok: true; mechanism: Mechanism; evidence: [HostEvidence, HostEvidence] }
  | { ok: false; missing: string; evidence: [HostEvidence, HostEvidence] };

interface HostView {
  name: string;
  spec: HostSpec;
  caps: Capabilities;
}

export function hostEvidence(tvd: string, h: HostView, encap: Encapsulation): HostEvidence {
  return {
    host: h.name,
    ...(h.spec.segment !== undefined ? { segment: h.spec.segment } : {}),
    ...(h.spec.dedicated?.[tvd] ? { dedicated: h.spec.dedicated[tvd] } : {}),
    vlan: { mechanism: h.caps.mechanisms.vlan, functional: h.caps.functional.includes('vlan') },
    encap: { mechanism: h.caps.mechanisms[encap], functional: h.caps.functional.includes('ip') },
  };
}

export const vlanCapable = (e: HostEvidence) => e.vlan.mechanism && e.vlan.functional;
export const encapCapable = (e: HostEvidence) => e.encap.mechanism && e.encap.functional;
export const sameSegment = (a: HostEvidence, b: HostEvidence) => a.segment !== undefined && a.segment === b.segment;

/** The mechanism the evidence of two hosts allows, cheapest first. */
export function decidePair(a: HostEvidence, b: HostEvidence, encap: Encapsulation): PairChoice {
  const evidence: [HostEvidence, HostEvidence] = [a, b];
  if (a.dedicated && b.dedicated) return { ok: true, mechanism: { kind: 'dedicated' }, evidence };
  const shared = sameSegment(a, b);
  if (shared && vlanCapable(a) && vlanCapable(b)) return { ok: true, mechanism: { kind: 'vlan' }, evidence };
  if (encapCapable(a) && encapCapable(b)) return { ok: true, mechanism: { kind: 'encap', encap }, evidence };
  const lacking = [a, b].filter((h) => !encapCapable(h)).map((h) => h.host);
  const why = shared ? `802.1Q VLANs on both or ${encap} on both` : `${encap} on both (they are not in one segment, so no VLAN)`;
  return { ok: false, missing: `needs ${why}; ${lacking.join(' and ')} ${lacking.length > 1 ? 'lack' : 'lacks'} ${encap}`, evidence };
}

export function choosePairMechanism(tvd: string, a: HostView, b: HostView, encap: Encapsulation): PairChoice {
  return decidePair(hostEvidence(tvd, a, encap), hostEvidence(tvd, b, encap), encap);
}

/** Bytes each encapsulation adds on an IPv4 underlay. */
export const ENCAP_OVERHEAD: Record<Encapsulation, number> = { vxlan: 50, gretap: 38, etherip: 34 };
