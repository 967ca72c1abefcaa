// The paper's caveat: when P_ab = 0, information must not flow a -> c -> b through open or
// controlled entries, nor through a VM that sits in both a and b.
import type { Topology } from '../topology/schema.js';
import type { FlowMatrix } from './flow-matrix.js';

export function transitivityWarnings(topology: Topology, matrix: FlowMatrix): string[] {
  const warnings: string[] = [];
  const t = matrix.tvds;
  const passes = (a: string, b: string) => matrix.get(a, b).connection !== 'closed';
  for (const a of t) {
    for (const b of t) {
      if (a === b || passes(a, b)) continue;
      const via = t.filter((c) => c !== a && c !== b && passes(a, c) && passes(c, b));
      if (via.length) {
        warnings.push(`${a} -> ${b} is closed, but information can flow from ${a} to ${b} through ${via.join(', ')} (${a} -> ${via[0]} and ${via[0]} -> ${b} are not closed)`);
      }
    }
  }
  for (const [vm, spec] of Object.entries(topology.vms ?? {}).sort(([x], [y]) => (x < y ? -1 : 1))) {
    const tvds = [...new Set(spec.nics.map((n) => n.tvd))];
    for (let i = 0; i < tvds.length; i++) {
      for (let j = i + 1; j < tvds.length; j++) {
        const [a, b] = [tvds[i], tvds[j]];
        if (!passes(a, b) || !passes(b, a)) {
          warnings.push(`VM ${vm} has NICs in ${a} and ${b}, whose connection is closed: ${vm} can carry information between them`);
        }
      }
    }
  }
  return warnings;
}
