// Refresh compares the state with each host's manifest: a resource gone from the host, or whose
// recorded attributes differ from the state's, has drifted; and with what is live there (the
// observation, see src/verify/). Pure.
import type { State } from '../state/state.js';
import type { Drift } from '../plan/diff.js';
import type { Manifest } from './manifest.js';
import { addressKey } from '../address/address.js';
import { attrsDigest } from '../apply/render/host-record.js';
import type { HostReading } from './read-hosts.js';
import type { Finding } from './finding.js';
import { compareHost } from './compare.js';
import { driftFromFindings, mergeDrift } from './drift-from-findings.js';

export function driftFromManifests(state: State, manifests: Map<string, Manifest>): Drift[] {
  const drift: Drift[] = [];
  for (const r of state.resources) {
    const m = manifests.get(r.host);
    if (!m || r.status === 'tainted') continue;
    const address = addressKey(r);
    const digest = m.get(address);
    if (digest === undefined) drift.push({ address, kind: 'missing', detail: 'the host has no record of it' });
    else if (digest !== attrsDigest(r.attrs))
      drift.push({ address, kind: 'changed', detail: 'its record on the host differs from the state' });
  }
  return drift;
}

/**
 * All drift refresh found: the manifests' (a record gone or changed), then what the observation
 * of each host found live (src/refresh/compare.ts) for the resources whose records are intact.
 */
export function driftFromReadings(state: State, readings: HostReading[]): { drift: Drift[]; findings: Finding[] } {
  const manifests = new Map(readings.filter((r) => r.manifest).map((r) => [r.host, r.manifest!]));
  const findings = readings.filter((r) => r.inventory).flatMap((r) => compareHost(r.host, state.resources, r.inventory!));
  return { drift: mergeDrift(driftFromManifests(state, manifests), driftFromFindings(findings)), findings };
}
