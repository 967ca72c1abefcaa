// MAC addresses given by hand are unique and unicast (the low bit of the first octet is 0).
import type { Check, CheckProblem } from './parts.js';

export const checkMacs: Check = (p) => {
  const out: CheckProblem[] = [];
  const owner = new Map<string, string>();
  for (const [vm, spec] of p.vms) {
    spec.nics.forEach((nic, j) => {
      if (nic.mac === undefined) return;
      const path = ['vms', vm, 'nics', j, 'mac'];
      const mac = nic.mac.toLowerCase();
      const first = parseInt(mac.slice(0, 2), 16);
      if (first & 1) {
        out.push({
          path,
          message: `${nic.mac} is a multicast address (the first octet is odd); a NIC needs a unicast MAC, e.g. 00:16:3e:...`,
        });
        return;
      }
      if (mac === '00:00:00:00:00:00') {
        out.push({ path, message: `${nic.mac} is not a usable MAC; leave it out to have one derived` });
        return;
      }
      const seen = owner.get(mac);
      if (seen !== undefined) out.push({ path, message: `${nic.mac} is already used by ${seen}; each NIC needs its own MAC` });
      else owner.set(mac, `vms.${vm}.nics[${j}]`);
    });
  }
  return out;
};
