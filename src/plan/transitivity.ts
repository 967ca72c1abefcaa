// The paper's caveat: when P_ab = 0, information must not flow a -> c -> b through open or
// controlled entries, nor through a VM that sits in both a and b.
import type { Topology } from '../topology/schema.js';
import type { FlowMatrix } from './flow-matrix.js';
import { flowNeighbours } from './flow-neighbours.js';
import { getOrAdd, lookup } from './internal.js';
import { type NamedVm, vmsByName } from './vms-by-name.js';

export function transitivityWarnings(topology: Topology, matrix: FlowMatrix, vms: readonly NamedVm[] = vmsByName(topology)): string[] {
  const warnings: string[] = [];
  const t = matrix.tvds;
  const rank = new Map(t.map((x, i) => [x, i]));
  const passes = (a: string, b: string) => matrix.get(a, b).connection !== 'closed';
  const byRank = (x: string, y: string) => lookup(rank, x, 'rank of TVD') - lookup(rank, y, 'rank of TVD');
  const byRankOfKey = ([x]: [string, unknown], [y]: [string, unknown]) => byRank(x, y);
  // Only pairs that a flow names can differ from the default; trying every (a, c, b) is cubic in
  // the TVDs (80 s for 1,000 of them, bench/plan-scale.ts), so walk from what the flows name.
  const named = flowNeighbours(topology);
  const neighbours = (x: string) => lookup(named, x, 'flow neighbours of TVD');
  const via = new Map<string, Map<string, string[]>>(); // a -> b -> the c's
  const found = (a: string, b: string, c: string) => {
    getOrAdd(
      getOrAdd(via, a, () => new Map()),
      b,
      () => [],
    ).push(c);
  };
  if (topology.defaults?.flow === 'open') {
    // Few pairs are closed (only those a flow closes): for each, look at every c.
    for (const a of t) {
      for (const b of neighbours(a)) {
        if (passes(a, b)) continue;
        for (const c of t) if (c !== a && c !== b && passes(a, c) && passes(c, b)) found(a, b, c);
      }
    }
  } else {
    // Few pairs pass (only those a flow opens): follow two hops a -> c -> b.
    for (const a of t) {
      for (const c of neighbours(a)) {
        if (!passes(a, c)) continue;
        for (const b of neighbours(c)) if (b !== a && passes(c, b) && !passes(a, b)) found(a, b, c);
      }
    }
  }
  for (const [a, m] of [...via].sort(byRankOfKey)) {
    for (const [b, through] of [...m].sort(byRankOfKey)) {
      const cs = [...new Set(through)].sort(byRank);
      warnings.push(
        `${a} -> ${b} is closed, but information can flow from ${a} to ${b} through ${cs.join(', ')} (${a} -> ${cs[0]} and ${cs[0]} -> ${b} are not closed)`,
      );
    }
  }
  for (const { name: vm, spec } of vms) {
    if (spec.nics.length < 2) continue;
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
