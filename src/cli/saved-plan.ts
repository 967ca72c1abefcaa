// A saved plan (`plan --out`): the plan JSON plus what applying it exactly needs (the hosts'
// SSH targets and the ids it hands out). It is refused once the state has moved on.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import type { Plan } from '../plan/plan.js';
import type { Allocations, State } from '../state/state.js';
import type { Topology } from '../topology/schema.js';
import { UserError } from '../errors/user-error.js';
import type { BackendSpec } from '../state/backend-spec.js';
import type { Capabilities } from '../capabilities/schema.js';

export interface SavedPlan extends Plan {
  allocations: Allocations;
  hosts: NonNullable<Topology['hosts']>;
  /** The shared backend it was made against, without its password; absent for the local file. */
  backend?: BackendSpec;
  /** The capability models it was planned from, recorded in the state by its apply (absent from older plans). */
  capabilities?: Record<string, Capabilities>;
}

export function writeSavedPlan(path: string, plan: SavedPlan): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(plan, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

/** The file as a saved plan, or undefined when it is not one (then it is a topology). */
export function readSavedPlan(path: string): SavedPlan | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    // Said here, before anything asks for --auto-approve or reads a topology that is not there.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UserError(`${path}: no such file (give a plan saved with \`tvd plan --out\`, or a topology)`);
    return undefined; // a folder of topology files
  }
  if (!text.trimStart().startsWith('{')) return undefined;
  let data: Partial<SavedPlan>;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (data.formatVersion !== 1 || !Array.isArray(data.actions) || !data.hosts || !data.allocations) {
    throw new UserError(`${path}: not a saved plan of this tvd version (make one with \`tvd plan FILE --out ${path}\`)`);
  }
  return data as SavedPlan;
}

/** Why a saved plan may no longer be applied, or undefined when it may. */
export function stalePlanReason(plan: Plan, state: State): string | undefined {
  if (plan.stateSerial !== state.serial) {
    return `the state changed since the plan was made (it was at serial ${plan.stateSerial}, it is at ${state.serial})`;
  }
  if (plan.stateLineage !== null && plan.stateLineage !== state.lineage) {
    return 'the plan was made against another state (its lineage differs)';
  }
  return undefined;
}
