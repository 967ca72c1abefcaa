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

export const CHECKS: Check[] = [
  checkReferences,
  checkIds,
  checkAddresses,
  checkMacs,
  checkFlows,
  checkHosts,
  checkVms,
  checkDisks,
  checkMembership,
  checkIsolation,
  checkBackend,
];

export function checkMeaning(parts: Parts): CheckProblem[] {
  return CHECKS.flatMap((c) => c(parts));
}
