// `tvd state migrate`: move a state from one backend to another with its serial and lineage.
// Both are locked while it moves. The verdict is pure (migrationVerdict); the source is left as
// it was, so nothing is lost if the target turns out wrong.
import type { StateBackend } from './backend.js';
import { canonicalJson } from '../topology/digest.js';
import { UserError } from '../errors/user-error.js';
import type { State } from './state.js';

export type Verdict = { action: 'copy' } | { action: 'unchanged' } | { action: 'refuse'; why: string };

/** A state that was never written reads as serial 0: an apply's first write raises it to 1. */
export function holdsState(s: State): boolean {
  return s.serial > 0 || s.resources.length > 0;
}

export function migrationVerdict(source: State, target: State): Verdict {
  if (!holdsState(source)) return { action: 'refuse', why: 'the source holds no state' };
  if (!holdsState(target)) return { action: 'copy' };
  if (target.lineage !== source.lineage) {
    return {
      action: 'refuse',
      why: `the target holds another state (lineage ${target.lineage}, serial ${target.serial}); tvd never merges two states: move it to another workspace, or remove it first`,
    };
  }
  if (target.serial > source.serial)
    return {
      action: 'refuse',
      why: `the target is ahead (serial ${target.serial}, the source is at ${source.serial}): it changed after the state was last moved; migrate the other way`,
    };
  if (target.serial === source.serial) {
    return canonicalJson(target) === canonicalJson(source)
      ? { action: 'unchanged' }
      : { action: 'refuse', why: `both are at serial ${source.serial} with different contents` };
  }
  return { action: 'copy' };
}

export interface Migrated {
  action: 'copy' | 'unchanged';
  state: State;
}

export async function migrateState(from: StateBackend, to: StateBackend): Promise<Migrated> {
  const a = await from.lock('migrate');
  try {
    const b = await to.lock('migrate');
    try {
      const source = await from.read();
      const target = await to.read();
      const v = migrationVerdict(source, target);
      if (v.action === 'refuse')
        throw new UserError(`cannot migrate the state from ${from.name} to ${to.name}: ${v.why}. Nothing was changed.`);
      if (v.action === 'copy') await to.write(source);
      return { action: v.action, state: source };
    } finally {
      await b.release();
    }
  } finally {
    await a.release();
  }
}
