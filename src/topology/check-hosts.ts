// Hosts: each reached at its own address and port; a dedicated NIC is neither the uplink nor
// dedicated to two TVDs.
import type { Check, CheckProblem } from './parts.js';

export const checkHosts: Check = (p) => {
  const out: CheckProblem[] = [];
  const endpoints = new Map<string, string>();
  for (const [name, h] of p.hosts) {
    // DNS names are case-insensitive: DOM0-A and dom0-a are one host.
    const endpoint = `${h.address.toLowerCase()}:${h.port ?? 22}`;
    const first = endpoints.get(endpoint);
    if (first !== undefined) {
      out.push({
        path: ['hosts', name, 'address'],
        message: `${endpoint} is already used by hosts.${first}; two hosts need two SSH endpoints`,
      });
    } else endpoints.set(endpoint, name);

    const nicOwner = new Map<string, string>();
    for (const [tvd, nic] of Object.entries(h.dedicated ?? {})) {
      const path = ['hosts', name, 'dedicated', tvd];
      if (nic === h.uplink) {
        out.push({
          path,
          message: `${nic} is this host's uplink; a dedicated NIC must be another NIC, one that carries only TVD '${tvd}'`,
        });
        continue;
      }
      const other = nicOwner.get(nic);
      if (other !== undefined)
        out.push({ path, message: `${nic} is already dedicated to TVD '${other}'; a dedicated NIC belongs to one TVD alone` });
      else nicOwner.set(nic, tvd);
    }
  }
  return out;
};
