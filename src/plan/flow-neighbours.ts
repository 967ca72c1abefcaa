// The TVDs each flow names, by TVD: the only pairs whose matrix entry can differ from
// defaults.flow. Walking these instead of every pair keeps the planner near-linear in the TVDs.
import type { Topology } from '../topology/schema.js';

export function flowNeighbours(topology: Topology): Map<string, Set<string>> {
  const named = new Map<string, Set<string>>(Object.keys(topology.tvds).map((x) => [x, new Set<string>()]));
  for (const f of topology.flows ?? []) {
    const [x, y] = f.between ?? [f.from, f.to];
    if (x === undefined || y === undefined || x === y) continue;
    const [nx, ny] = [named.get(x), named.get(y)];
    if (!nx || !ny) continue;
    nx.add(y);
    ny.add(x);
  }
  return named;
}
