// What verify reports about a host. The JSON form is `{kind, host, address?, message}` plus
// the membership details where they apply.
export type FindingKind = 'drift' | 'foreign' | 'membership';

export interface Finding {
  kind: FindingKind;
  host: string;
  /** The resource concerned (`host/type/name`): the one that drifted, or the vswitch a foreign port is on. */
  address?: string;
  message: string;
  /** membership findings: which requirement the host no longer meets. */
  tvd?: string;
  property?: string;
  /** membership findings: the evidence the host offers, and what the TVD accepts. */
  offers?: { evidence: string; source: string; held: boolean; value?: unknown }[];
  accepted?: string[] | 'any';
  values?: unknown[];
}

const order: Record<FindingKind, number> = { membership: 0, drift: 1, foreign: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  if (a.host !== b.host) return a.host < b.host ? -1 : 1;
  if (order[a.kind] !== order[b.kind]) return order[a.kind] - order[b.kind];
  const [x, y] = [a.address ?? '', b.address ?? ''];
  if (x !== y) return x < y ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** One line per finding, as `verify` and `verify --watch` print them. */
export function findingLine(f: Finding): string {
  return `${f.kind} ${f.host}${f.address ? ` ${f.address}` : ''}: ${f.message}`;
}
