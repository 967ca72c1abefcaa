// The planner's promises to itself: a value an earlier step put in a map, a host the topology's
// checks made sure of. A broken one is a bug in tvd, never bad input, and says what was missing.
// These replace non-null assertions (`!`), which Biome refuses in src/plan (biome.jsonc).

/** A broken promise of an earlier phase (or of the topology's checks): a bug, never bad input. */
export function internal(what: string): never {
  throw new Error(`internal error in the planner: ${what}`);
}

/** The value an earlier step put under `key`. */
export function lookup<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const v = map.get(key);
  return v === undefined ? internal(`no ${what} for ${String(key)}`) : v;
}

/** The value under `key`, made (and put there) first if there is none. */
export function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make()));
  return v;
}
