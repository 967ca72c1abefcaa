// The capability models a state records (State.capabilities). Pure.
import type { Capabilities } from '../capabilities/schema.js';
import type { State } from './state.js';

/**
 * The state an apply records onto, with the capability model of each host it planned from, so
 * that a later plan that does not read a host (--limit, --skip-unreachable) can still plan
 * around it as it was.
 */
export function withCapabilities(state: State, capabilities: Record<string, Capabilities>, hosts: Iterable<string>): State {
  const all = { ...state.capabilities, ...capabilities };
  const kept = Object.fromEntries(
    [...hosts]
      .filter((h) => all[h])
      .sort()
      .map((h) => [h, all[h]]),
  );
  return Object.keys(kept).length ? { ...state, capabilities: kept } : state;
}
