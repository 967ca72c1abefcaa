// `isolation: none` lets one TVD per segment use the uplink untagged; two such TVDs on one
// segment would share that Ethernet and so not be isolated from each other at all.
// A TVD is on a segment when one of its VMs runs on a host there (a host without a segment
// is a segment of its own).
import type { Check, CheckProblem } from './parts.js';

export const checkIsolation: Check = (p) => {
  const loose = new Set(p.tvds.filter(([, t]) => t.isolation === 'none').map(([n]) => n));
  if (loose.size < 2) return [];
  const segmentOf = new Map(p.hosts.map(([name, h]) => [name, h.segment ?? `host ${name}`] as const));
  const segments = new Map<string, Set<string>>(); // TVD -> segments
  for (const [, vm] of p.vms) {
    const seg = segmentOf.get(vm.host);
    if (seg === undefined) continue;
    for (const nic of vm.nics) if (loose.has(nic.tvd)) (segments.get(nic.tvd) ?? segments.set(nic.tvd, new Set()).get(nic.tvd)!).add(seg);
  }
  const out: CheckProblem[] = [];
  const taken = new Map<string, string>(); // segment -> TVD
  for (const [name] of p.tvds) {
    for (const seg of segments.get(name) ?? []) {
      const first = taken.get(seg);
      if (first !== undefined && first !== name) {
        const where = seg.startsWith('host ') ? `on ${seg}` : `on segment '${seg}'`;
        out.push({
          path: ['tvds', name, 'isolation'],
          message: `TVD '${first}' already uses the uplink untagged ${where}; only one TVD per segment may have 'isolation: none'`,
        });
        break;
      }
      taken.set(seg, name);
    }
  }
  return out;
};
