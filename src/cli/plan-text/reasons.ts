// The English for the plan's codes: why an action is what it is, and what it does to a VM.
import type { ActionReason, PlannedAction } from '../../plan/plan.js';

const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** What is said of an action after its address, or undefined when the topology alone explains it. */
export function reasonText(a: PlannedAction): string | undefined {
  const forces = a.forcesReplacement ?? [];
  const drift = a.drift ? `: ${a.drift}` : '';
  const text: Record<ActionReason, () => string> = {
    tainted: () => 'is tainted: an earlier apply failed part-way through it, so it is made again',
    gone: () => `is gone from the host (changed outside of tvd)${drift}`,
    drifted: () => `was changed outside of tvd${drift}`,
    adopted: () => `was adopted from host ${a.host}: the host recorded it and the state did not (an apply was cut off)`,
    'cannot-update': () =>
      forces.length === 1 && forces[0] === 'start'
        ? 'must be replaced: start is now false, so the running VM stops'
        : `must be replaced: ${list(forces)} cannot change in place`,
    'boot-config': () =>
      `must be replaced: a running VM reads ${forces.every((f) => f === 'config' || f === 'domain') ? 'its config' : list(forces)} only when it boots`,
    'live-nics': () =>
      'is updated while the VM runs: the NIC is attached or detached live, the rest of its new config takes effect when it next starts',
  };
  const why = a.reason ? text[a.reason]() : undefined;
  // A replace that also repairs drift says what was found.
  if (a.drift && (a.reason === undefined || !['gone', 'drifted', 'adopted'].includes(a.reason)))
    return `${why ?? 'must be replaced'}; it was also changed outside of tvd${drift}`;
  return why;
}

/** What the action does to a VM's running domain, when it does something. */
export function domainText(a: PlannedAction): string | undefined {
  const vm = a.resource.name;
  if (a.domain === 'restart') return `restarts VM ${vm}: xl destroy, then xl create (its guest reboots)`;
  if (a.domain === 'stop') return `stops VM ${vm} (xl destroy)`;
  if (a.domain === 'start') return `starts VM ${vm} (xl create)`;
  return undefined;
}
