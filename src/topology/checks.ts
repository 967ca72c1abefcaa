// All meaning checks, run together so the user sees every mistake at once.
import type { Check, CheckProblem, Parts } from './parts.js';
import { checkReferences } from './check-references.js';
import { checkIds } from './check-ids.js';
import { checkAddresses } from './check-addresses.js';
import { checkMacs } from './check-macs.js';
import { checkFlows } from './check-flows.js';
import { checkHosts } from './check-hosts.js';
import { checkVms } from './check-vms.js';
import { checkDisks } from './check-disks.js';
import { checkMembership } from './check-membership.js';
import { checkIsolation } from './check-isolation.js';
import { checkBackend } from './check-backend.js';

/** Each check by the code its problems carry unless they name a finer one. */
export const CHECKS: [code: string, check: Check][] = [
  ['references', checkReferences],
  ['ids', checkIds],
  ['addresses', checkAddresses],
  ['macs', checkMacs],
  ['flows', checkFlows],
  ['hosts', checkHosts],
  ['vms', checkVms],
  ['disks', checkDisks],
  ['membership', checkMembership],
  ['isolation', checkIsolation],
  ['backend', checkBackend],
];

export function checkMeaning(parts: Parts): CheckProblem[] {
  return CHECKS.flatMap(([code, c]) => c(parts).map((p) => (p.code ? p : { ...p, code })));
}
