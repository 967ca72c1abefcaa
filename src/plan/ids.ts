// Stable ids: pinned values first, then what the state already handed out, then new ones by a
// hash of the name with linear probing. Earlier allocations are never moved, so adding a TVD
// never renumbers the others.
import { createHash } from 'node:crypto';
import { TRANSIT_VNIS } from '../topology/schema-constants.js';

export interface IdSpace {
  min: number;
  max: number;
}

export const TVD_IDS: IdSpace = { min: 5000, max: 999_999 };
export const VLAN_IDS: IdSpace = { min: 2, max: 4094 };
/** One per link between two firewalls; each is also the VNI of a VXLAN link (transitVni). */
export const TRANSIT_IDS: IdSpace = { min: 1, max: TRANSIT_VNIS.max - TRANSIT_VNIS.min + 1 };

/** The VNI of transit link n: the topology check keeps pinned TVD VNIs out of this range. */
export function transitVni(n: number): number {
  return TRANSIT_VNIS.min + n - 1;
}

function hashOf(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0);
}

/**
 * names: every name that needs an id, in a stable order. pinned and prior map names to ids.
 * Returns an id for each name; ids are unique across the result.
 */
export function allocateIds(
  names: string[],
  space: IdSpace,
  pinned: Record<string, number>,
  prior: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  const used = new Set<number>(Object.values(pinned));
  for (const n of names) if (pinned[n] !== undefined) out[n] = pinned[n];
  for (const n of names) {
    const p = prior[n];
    if (out[n] === undefined && p !== undefined && !used.has(p) && p >= space.min && p <= space.max) {
      out[n] = p;
      used.add(p);
    }
  }
  const size = space.max - space.min + 1;
  for (const n of names) {
    if (out[n] !== undefined) continue;
    let id = space.min + (hashOf(n) % size);
    for (let i = 0; used.has(id) && i < size; i++) id = id === space.max ? space.min : id + 1;
    out[n] = id;
    used.add(id);
  }
  return out;
}
