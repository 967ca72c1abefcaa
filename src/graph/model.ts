// What a picture of a topology shows, decided once for every output format: the hosts with
// their VMs grouped by TVD, one node per TVD network, and the flows between TVDs taken from the
// flow matrix (never re-derived from `flows`).
import type { Topology } from '../topology/schema.js';
import { flowMatrix, ruleKey, type Connection, type FlowMatrix } from '../plan/flow-matrix.js';
import { tvdColor, type TvdColor } from './colors.js';

export interface GraphVm {
  name: string;
  /** The TVDs it has a NIC on, in NIC order. */
  tvds: string[];
  ips: string[];
}

export interface GraphHost {
  name: string;
  address: string;
  segment?: string;
  /** VMs on this host with one TVD, grouped by that TVD (TVDs sorted). */
  groups: { tvd: string; vms: GraphVm[] }[];
  /** VMs on this host that are members of several TVDs (or none). */
  multi: GraphVm[];
}

export interface GraphTvd {
  name: string;
  subnet?: string;
  color: TvdColor;
}

export interface GraphEdge {
  from: string;
  to: string;
  connection: Connection;
  /** Both directions have this same entry: draw one edge with arrows at both ends. */
  both: boolean;
  /** Controlled: the allowed kinds, e.g. `tcp/443`. */
  rules: string[];
}

export interface TopologyGraph {
  tvds: GraphTvd[];
  hosts: GraphHost[];
  /** Flows between TVDs; closed ones too (the renderers hide them unless asked). */
  edges: GraphEdge[];
  matrix: FlowMatrix;
}

export function topologyGraph(t: Topology): TopologyGraph {
  const matrix = flowMatrix(t);
  const tvds = matrix.tvds.map((name, i) => ({ name, subnet: t.tvds[name]?.subnet, color: tvdColor(i) }));
  const hostNames = [...new Set([...Object.keys(t.hosts ?? {}), ...Object.values(t.vms ?? {}).map((v) => v.host)])].sort();
  const hosts = hostNames.map((h): GraphHost => {
    const vms = Object.entries(t.vms ?? {})
      .filter(([, v]) => v.host === h)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(
        ([name, v]): GraphVm => ({ name, tvds: [...new Set(v.nics.map((n) => n.tvd))], ips: v.nics.flatMap((n) => (n.ip ? [n.ip] : [])) }),
      );
    const groups = matrix.tvds
      .map((tvd) => ({ tvd, vms: vms.filter((v) => v.tvds.length === 1 && v.tvds[0] === tvd) }))
      .filter((g) => g.vms.length > 0);
    return {
      name: h,
      address: t.hosts?.[h]?.address ?? '',
      segment: t.hosts?.[h]?.segment,
      groups,
      multi: vms.filter((v) => v.tvds.length !== 1),
    };
  });
  return { tvds, hosts, edges: flowEdges(matrix), matrix };
}

/** One edge per connected pair when both directions agree, else one per direction. */
function flowEdges(m: FlowMatrix): GraphEdge[] {
  const edges: GraphEdge[] = [];
  const ts = m.tvds;
  for (let i = 0; i < ts.length; i++) {
    for (let j = i + 1; j < ts.length; j++) {
      const [a, b] = [ts[i], ts[j]];
      const ab = m.get(a, b);
      const ba = m.get(b, a);
      const rulesAb = ab.allow.map(ruleKey);
      const rulesBa = ba.allow.map(ruleKey);
      if (ab.connection === ba.connection && rulesAb.join() === rulesBa.join()) {
        edges.push({ from: a, to: b, connection: ab.connection, both: true, rules: rulesAb });
      } else {
        edges.push({ from: a, to: b, connection: ab.connection, both: false, rules: rulesAb });
        edges.push({ from: b, to: a, connection: ba.connection, both: false, rules: rulesBa });
      }
    }
  }
  return edges;
}

/** A matrix cell as the paper writes it: 1 open, 0 closed, P controlled. */
export function cellSymbol(c: Connection): string {
  return c === 'open' ? '1' : c === 'closed' ? '0' : 'P';
}
