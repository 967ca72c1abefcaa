// Is this parsed JSON a State we can trust? Pure: returns the problems, empty when it is fine.
import { isResourceType } from '../address/address.js';
import type { State } from './state.js';

export function stateProblems(data: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(data)) return ['not a JSON object'];
  if (data.formatVersion !== 1) problems.push(`formatVersion: expected 1, got ${JSON.stringify(data.formatVersion)}`);
  if (typeof data.lineage !== 'string' || data.lineage === '') problems.push('lineage: expected a non-empty string');
  if (!Number.isSafeInteger(data.serial) || (data.serial as number) < 0) problems.push('serial: expected an integer >= 0');
  if (!Array.isArray(data.resources)) problems.push('resources: expected an array');
  else
    data.resources.forEach((r, i) => {
      if (!isObject(r)) return void problems.push(`resources[${i}]: expected an object`);
      for (const k of ['host', 'name'] as const) if (typeof r[k] !== 'string') problems.push(`resources[${i}].${k}: expected a string`);
      if (!isResourceType(r.type)) problems.push(`resources[${i}].type: unknown type ${JSON.stringify(r.type)}`);
      if (r.status !== 'applied' && r.status !== 'tainted') problems.push(`resources[${i}].status: expected applied or tainted`);
      if (!('attrs' in r)) problems.push(`resources[${i}].attrs: missing`);
    });
  if (!isObject(data.allocations)) problems.push('allocations: expected an object');
  else
    for (const k of ['tvdIds', 'vlans', 'transits'] as const) {
      const m = data.allocations[k];
      if (!isObject(m) || !Object.values(m).every((v) => Number.isSafeInteger(v)))
        problems.push(`allocations.${k}: expected a map of integers`);
    }
  if (isObject(data.allocations) && data.allocations.wireguard !== undefined) {
    const m = data.allocations.wireguard;
    if (!isObject(m) || !Object.values(m).every((v) => Number.isSafeInteger(v)))
      problems.push('allocations.wireguard: expected a map of integers');
  }
  if ('capabilities' in data && !isObject(data.capabilities)) problems.push('capabilities: expected an object');
  return problems;
}

export function isState(data: unknown): data is State {
  return stateProblems(data).length === 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
