// `plan --json` when no plan could be made (the topology is invalid, a host refused): still a
// plan document, with its `errors` filled (spec: the plan JSON has an `errors` field), so that
// a script reads one shape whatever happened. Pure.
import type { Plan, PlanError } from '../plan/plan.js';
import type { UserError } from '../errors/user-error.js';

export function failedPlan(err: UserError, state: { serial: number; lineage: string | null } = { serial: 0, lineage: null }): Plan {
  const errors: PlanError[] = err.diagnostics.length
    ? err.diagnostics.map((d) => ({ code: 'topology', message: d.message, file: d.file, line: d.line, col: d.col, path: d.path }))
    : [{ code: 'refused', message: err.message }];
  return {
    formatVersion: 1,
    // No topology was read to the end, so there is nothing to digest.
    topologyDigest: '',
    stateSerial: state.serial,
    stateLineage: state.lineage,
    actions: [],
    summary: { create: 0, update: 0, delete: 0, replace: 0 },
    errors,
    warnings: [],
  };
}
