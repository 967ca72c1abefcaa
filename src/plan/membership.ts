// Membership requirements (paper §4.5, Tables 1 and 2): a host that carries a member VM of a TVD
// must hold each required property with an accepted kind of evidence.
import type { Capabilities } from '../capabilities/schema.js';
import type { EvidenceKind, HostSpec, Requirement, TvdSpec } from '../topology/schema.js';

export interface Offer {
  evidence: EvidenceKind;
  source: 'capabilities' | 'claims';
  held: boolean;
  value?: unknown;
}

export interface MembershipFailure {
  tvd: string;
  host: string;
  property: string;
  offers: Offer[];
  accepted: EvidenceKind[] | 'any';
  /** The values accepted, when the requirement pins them. */
  values?: unknown[];
  message: string;
}

function held(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== false && value !== 0 && value !== '' && value !== null && value !== undefined;
}

export function offersFor(property: string, host: HostSpec, caps: Capabilities | undefined): Offer[] {
  const offers: Offer[] = [];
  const c = caps?.properties[property];
  if (c) offers.push({ evidence: c.evidence, source: 'capabilities', held: held(c.value), value: c.value });
  const claim = host.claims?.[property];
  if (claim) offers.push({ evidence: claim.evidence ?? 'trust', source: 'claims', held: held(claim.value), value: claim.value });
  return offers;
}

function describe(offers: Offer[], pinned: boolean): string {
  if (offers.length === 0) return 'no evidence at all';
  return offers
    .map((o) => `${o.held ? '' : 'a negative '}${o.evidence} (from ${o.source})${pinned ? ` with value ${JSON.stringify(o.value)}` : ''}`)
    .join(' and ');
}

/** The short forms (`any`, a list of kinds) and the long one ({evidence, value}) alike. */
export function normaliseRequirement(r: Requirement): { accepted: EvidenceKind[] | 'any'; values?: unknown[] } {
  if (r === 'any' || Array.isArray(r)) return { accepted: r };
  const v = r.value;
  return { accepted: r.evidence, ...(v === undefined ? {} : { values: Array.isArray(v) ? v : [v] }) };
}

/** Every failed requirement of `tvd` on `hostName`; empty when the host may carry the TVD's VMs. */
export function checkMembership(
  tvdName: string,
  tvd: TvdSpec,
  hostName: string,
  host: HostSpec,
  caps: Capabilities | undefined,
): MembershipFailure[] {
  const failures: MembershipFailure[] = [];
  for (const [property, requirement] of Object.entries(tvd.requires ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const { accepted, values } = normaliseRequirement(requirement);
    const offers = offersFor(property, host, caps);
    const ok = offers.some(
      (o) => o.held && (accepted === 'any' || accepted.includes(o.evidence)) && (!values || values.includes(o.value as never)),
    );
    if (!ok) {
      const kinds = accepted === 'any' ? 'any evidence' : accepted.join(' or ');
      const want = values ? `${kinds} with value ${values.map((v) => JSON.stringify(v)).join(' or ')}` : kinds;
      failures.push({
        tvd: tvdName,
        host: hostName,
        property,
        offers,
        accepted,
        ...(values ? { values } : {}),
        message: `host ${hostName} does not meet tvds.${tvdName}.requires.${property}: it offers ${describe(offers, values !== undefined)}; accepted: ${want}`,
      });
    }
  }
  return failures;
}
