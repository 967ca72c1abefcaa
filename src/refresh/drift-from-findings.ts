// verify's findings as the planner's Drift, so that `tvd plan` shows them ("changed outside of
// tvd") and the next apply runs the resource's `up` again, which repairs it. A foreign port is
// drift of the vswitch it is on: the vswitch's `up` releases ports tvd did not put there.
// Membership findings are not drift: the planner re-evaluates membership itself.
import type { Drift } from '../plan/diff.js';
import type { Finding } from './finding.js';

export function driftFromFindings(findings: Finding[]): Drift[] {
  const by = new Map<string, string[]>();
  for (const f of findings) {
    if (f.kind === 'membership' || !f.address) continue;
    const list = by.get(f.address) ?? [];
    list.push(f.kind === 'foreign' ? `foreign port: ${f.message}` : f.message);
    by.set(f.address, list);
  }
  return [...by]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([address, details]) => ({ address, kind: 'changed', detail: details.join('; ') }));
}

/** Manifest drift first (a resource the host has no record of must be created), then the rest. */
export function mergeDrift(manifest: Drift[], observed: Drift[]): Drift[] {
  const have = new Set(manifest.map((d) => d.address));
  return [...manifest, ...observed.filter((d) => !have.has(d.address))];
}
