// What the state says after a step on a host succeeded or was left part-way. Pure.
import type { PlannedAction } from '../plan/plan.js';
import type { State, StateResource } from '../state/state.js';
import { addressKey } from '../address/address.js';

export type StepOutcome = 'ok' | 'failed';

function keyOf(a: PlannedAction): string {
  return addressKey({ host: a.host, ...a.resource });
}

/**
 * ok: the resource now is `after` (or gone, for delete).
 * failed: we cannot tell how far the step got, so the resource is tainted and the next apply
 * replaces it: with the old attributes where there were some (their `down` cleans up both),
 * else with the new ones.
 */
export function recordStep(resources: StateResource[], a: PlannedAction, outcome: StepOutcome): StateResource[] {
  const key = keyOf(a);
  const rest = resources.filter((r) => addressKey(r) !== key);
  const base = { host: a.host, type: a.resource.type, name: a.resource.name };
  if (outcome === 'ok') {
    return a.action === 'delete' ? rest : [...rest, { ...base, attrs: a.after, status: 'applied' }];
  }
  return [...rest, { ...base, attrs: a.before ?? a.after, status: 'tainted' }];
}

export function withResources(state: State, resources: StateResource[]): State {
  return { ...state, resources };
}
