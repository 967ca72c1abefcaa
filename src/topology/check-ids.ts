// Pinned VLAN ids and VNIs are unique among TVDs (their ranges are the schema's business), and a
// VNI is not one of those tvd gives the links between firewalls.
import type { Check, CheckProblem } from './parts.js';
import { TRANSIT_VNIS } from './schema-constants.js';

export const checkIds: Check = (p) => {
  const out: CheckProblem[] = [];
  for (const key of ['vlan', 'vni'] as const) {
    const owner = new Map<number, string>();
    for (const [name, t] of p.tvds) {
      const id = t[key];
      if (id === undefined) continue;
      if (key === 'vni' && id >= TRANSIT_VNIS.min && id <= TRANSIT_VNIS.max) {
        out.push({
          path: ['tvds', name, key],
          message: `${id} is kept for the links between firewalls (${TRANSIT_VNIS.min}..${TRANSIT_VNIS.max}); pick another VNI or leave it out and let the planner choose`,
        });
        continue;
      }
      const first = owner.get(id);
      if (first !== undefined) {
        out.push({
          path: ['tvds', name, key],
          message: `${id} is already used by tvds.${first}; pick another ${key === 'vlan' ? 'VLAN id' : 'VNI'} or leave it out and let the planner choose`,
        });
      } else owner.set(id, name);
    }
  }
  return out;
};
