// VMs: at most one NIC per TVD (a VM is a member of a TVD or not; two NICs on one vSwitch
// would only bridge it to itself).
import type { Check, CheckProblem } from './parts.js';

export const checkVms: Check = (p) => {
  const out: CheckProblem[] = [];
  for (const [name, vm] of p.vms) {
    const first = new Map<string, number>();
    vm.nics.forEach((nic, j) => {
      const i = first.get(nic.tvd);
      if (i !== undefined) {
        out.push({
          path: ['vms', name, 'nics', j, 'tvd'],
          message: `this VM already has a NIC on TVD '${nic.tvd}' (nics[${i}]); one NIC per TVD`,
        });
      } else first.set(nic.tvd, j);
    });
  }
  return out;
};
