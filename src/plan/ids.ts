// Stable ids: pinned values first, then what the state already handed out, then new ones by a
// hash of the name with linear probing. Earlier allocations are never moved, so adding a TVD
// never renumbers the others.
import { TRANSIT_VNIS } from '../topology/schema-constants.js';
import { sha256 } from './name-hash.js';

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
  return sha256(name).readUInt32BE(0);
}

/**
 * The values of a space that are taken, and how many of them lie inside it: once that count is
 * the space's size there is nothing to probe for (without it, every name past a full space
 * would walk the whole space).
 */
class UsedValues {
  private readonly set = new Set<number>();
  private inside = 0;
  constructor(readonly space: IdSpace) {}
  add(v: number): void {
    if (this.set.has(v)) return;
    this.set.add(v);
    if (v >= this.space.min && v <= this.space.max) this.inside++;
  }
  /** The first free value at or after `start` (wrapping), taken; undefined when the space is full. */
  take(start: number): number | undefined {
    const { min, max } = this.space;
    if (this.inside >= max - min + 1) return undefined;
    let v = start;
    while (this.set.has(v)) v = v === max ? min : v + 1;
    this.add(v);
    return v;
  }
}

export interface Wanted {
  key: string;
  /**
   * Where its search starts: a hash, in the space; a function when the hash is worth saving, as
   * it is for a key that keeps its prior (every NIC of a deployed fleet: 200,000 SHA-256 at
   * 10,000 hosts).
   */
  start: number | (() => number);
  /** What it had before (from the state): kept unless someone else holds it. */
  prior?: number;
}

export interface Assigned {
  values: Map<string, number>;
  /** Keys the space had no room for, in the order wanted. */
  unassigned: string[];
  /** Keys whose prior another key holds: they got a new value. */
  displaced: { key: string; prior: number; by: string }[];
}

/**
 * Values unique across `held` (value -> who holds it, e.g. pinned by hand) and the result. In
 * `wanted`'s order (which the caller makes stable): each key keeps its prior unless someone
 * holds it; the rest take the first free value of the space from their start, skipping what is
 * held, every prior and `reserved`. O(1) expected per key while the space is sparsely used.
 */
export function assignUnique(
  wanted: readonly Wanted[],
  space: IdSpace,
  held: Map<number, string>,
  reserved: Iterable<number> = [],
): Assigned {
  const values = new Map<string, number>();
  const unassigned: string[] = [];
  const displaced: Assigned['displaced'] = [];
  const holder = new Map(held);
  const used = new UsedValues(space);
  for (const v of held.keys()) used.add(v);
  for (const v of reserved) used.add(v);
  const rest: Wanted[] = [];
  for (const w of wanted) {
    if (w.prior === undefined) {
      rest.push(w);
      continue;
    }
    used.add(w.prior);
    const by = holder.get(w.prior);
    if (by === undefined) {
      holder.set(w.prior, w.key);
      values.set(w.key, w.prior);
    } else {
      displaced.push({ key: w.key, prior: w.prior, by });
      rest.push(w);
    }
  }
  for (const w of rest) {
    const v = used.take(typeof w.start === 'number' ? w.start : w.start());
    if (v === undefined) unassigned.push(w.key);
    else values.set(w.key, v);
  }
  return { values, unassigned, displaced };
}

/** An id for each name, and the names the space had no room for. */
export interface Allocated {
  ids: Record<string, number>;
  unassigned: string[];
}

/**
 * names: every name that needs an id, in a stable order. pinned and prior map names to ids.
 * Returns an id for each name that fits; ids are unique across the result.
 */
export function allocateIds(names: string[], space: IdSpace, pinned: Record<string, number>, prior: Record<string, number>): Allocated {
  const ids: Record<string, number> = {};
  const held = new Map<number, string>();
  for (const [n, v] of Object.entries(pinned)) held.set(v, n);
  for (const n of names) if (pinned[n] !== undefined) ids[n] = pinned[n];
  const size = space.max - space.min + 1;
  const wanted = names
    .filter((n) => pinned[n] === undefined)
    .map((n) => {
      const p = prior[n];
      return {
        key: n,
        start: space.min + (size > 0 ? hashOf(n) % size : 0),
        ...(p !== undefined && p >= space.min && p <= space.max ? { prior: p } : {}),
      };
    });
  const a = assignUnique(wanted, space, held);
  for (const [n, v] of a.values) ids[n] = v;
  return { ids, unassigned: a.unassigned };
}
