// Refresh compares the state with each host's manifest: a resource gone from the host, or whose
// recorded attributes differ from the state's, has drifted. Pure.
import type { State } from '../state/state.js';
import type { Drift } from '../plan/diff.js';
import type { Manifest } from './manifest.js';
import { addressKey } from '../plan/address.js';
import { attrsDigest } from './render/host-record.js';

export function driftFromManifests(state: State, manifests: Map<string, Manifest>): Drift[] {
  const drift: Drift[] = [];
  for (const r of state.resources) {
    const m = manifests.get(r.host);
    if (!m || r.status === 'tainted') continue;
    const address = addressKey(r);
    const digest = m.get(address);
    if (digest === undefined) drift.push({ address, kind: 'missing', detail: 'the host has no record of it' });
    else if (digest !== attrsDigest(r.attrs)) drift.push({ address, kind: 'changed', detail: 'its record on the host differs from the state' });
  }
  return drift;
}
