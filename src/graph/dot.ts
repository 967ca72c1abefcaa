// The picture as Graphviz DOT: a cluster per host, inside it a coloured cluster per TVD with
// that host's VMs of the TVD; one node per TVD network; flows as edges between TVD nodes.
import { FLOW_COLOR } from './colors.js';
import type { GraphEdge, GraphHost, GraphVm, TopologyGraph } from './model.js';

export interface DotOptions {
  /** Draw closed connections too, dashed. */
  closed?: boolean;
}

/** A DOT double-quoted string. Names are already restricted, but descriptions are free text. */
export function q(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
}

function attrs(a: Record<string, string | undefined>): string {
  const parts = Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${q(v!)}`);
  return parts.length ? ` [${parts.join(', ')}]` : '';
}

const vmId = (vm: string) => `vm:${vm}`;
const tvdId = (tvd: string) => `tvd:${tvd}`;

export function hostLabel(h: GraphHost, sep = '\n'): string {
  return [`host ${h.name}`, [h.address, h.segment && `segment ${h.segment}`].filter(Boolean).join(', ')].filter(Boolean).join(sep);
}

function vmLabel(v: GraphVm): string {
  return [v.name, ...v.ips].join('\n');
}

export function toDot(g: TopologyGraph, o: DotOptions = {}): string {
  const color = new Map(g.tvds.map((t) => [t.name, t.color]));
  const out: string[] = [
    'digraph tvd {',
    '  graph [rankdir="LR", compound="true", fontname="Helvetica", fontsize="12", nodesep="0.3", ranksep="1.1", newrank="true"];',
    '  node [fontname="Helvetica", fontsize="11"];',
    '  edge [fontname="Helvetica", fontsize="10"];',
  ];
  const members: { vm: string; tvd: string; cluster?: string }[] = [];
  g.hosts.forEach((h, hi) => {
    out.push(`  subgraph ${q(`cluster_h${hi}`)} {`);
    out.push(`    graph${attrs({ label: hostLabel(h), style: 'rounded', color: '#777777', fontcolor: '#333333' })};`);
    h.groups.forEach((grp, gi) => {
      const c = color.get(grp.tvd)!;
      const cluster = `cluster_h${hi}_${gi}`;
      out.push(`    subgraph ${q(cluster)} {`);
      out.push(
        `      graph${attrs({ label: grp.tvd, style: 'filled,rounded', fillcolor: c.fill, color: c.stroke, fontcolor: c.stroke })};`,
      );
      for (const v of grp.vms)
        out.push(
          `      ${q(vmId(v.name))}${attrs({ label: vmLabel(v), shape: 'box', style: 'filled,rounded', fillcolor: 'white', color: c.stroke })};`,
        );
      out.push('    }');
      // One membership line per group, drawn from the group's border.
      members.push({ vm: grp.vms[0].name, tvd: grp.tvd, cluster });
    });
    for (const v of h.multi) {
      const fills = v.tvds.map((t) => color.get(t)?.fill ?? 'white');
      out.push(
        `    ${q(vmId(v.name))}${attrs({ label: vmLabel(v), shape: 'box', style: fills.length > 1 ? 'striped' : 'filled', fillcolor: fills.join(':') || 'white' })};`,
      );
      for (const t of v.tvds) members.push({ vm: v.name, tvd: t });
    }
    out.push('  }');
  });
  for (const t of g.tvds) {
    out.push(
      `  ${q(tvdId(t.name))}${attrs({ label: t.subnet ? `TVD ${t.name}\n${t.subnet}` : `TVD ${t.name}`, shape: 'hexagon', style: 'filled', fillcolor: t.color.stroke, fontcolor: 'white', color: t.color.stroke })};`,
    );
  }
  for (const m of members) {
    out.push(
      `  ${q(vmId(m.vm))} -> ${q(tvdId(m.tvd))}${attrs({ ltail: m.cluster, arrowhead: 'none', color: color.get(m.tvd)?.stroke, penwidth: '1.2' })};`,
    );
  }
  const shown = g.edges.filter((e) => e.connection !== 'closed' || o.closed);
  for (let i = 0; i < shown.length; i++) {
    const [e, back] = [shown[i], shown[i + 1]];
    // The two directions of one pair, drawn as two edges, had their labels laid on top of each
    // other (tcp/443, icmp over tcp/22): one edge, a line of label per direction.
    const pair = back && !e.both && back.from === e.to && back.to === e.from;
    out.push(`  ${q(tvdId(e.from))} -> ${q(tvdId(e.to))}${attrs(pair ? pairAttrs(e, back) : edgeAttrs(e))};`);
    if (pair) i++;
  }
  out.push('}');
  return out.join('\n') + '\n';
}

function edgeAttrs(e: GraphEdge): Record<string, string | undefined> {
  const common = { dir: e.both ? 'both' : 'forward', color: FLOW_COLOR[e.connection], fontcolor: FLOW_COLOR[e.connection] };
  if (e.connection === 'open') return { ...common, label: 'open', penwidth: '2' };
  if (e.connection === 'controlled') return { ...common, label: e.rules.length ? e.rules.join(', ') : 'nothing allowed', penwidth: '2' };
  return {
    ...common,
    label: 'closed',
    style: 'dashed',
    arrowhead: e.both ? 'none' : 'tee',
    arrowtail: 'none',
    dir: e.both ? 'none' : 'forward',
  };
}

const what = (e: GraphEdge) => (e.connection === 'controlled' ? (e.rules.length ? e.rules.join(', ') : 'nothing allowed') : e.connection);

/** Both directions of a pair that differ, on one edge: an arrow (or a tee, closed) at each end. */
function pairAttrs(e: GraphEdge, back: GraphEdge): Record<string, string | undefined> {
  const [there, home] = [FLOW_COLOR[e.connection], FLOW_COLOR[back.connection]];
  return {
    dir: 'both',
    // Two colours draw two parallel lines, one per direction.
    color: there === home ? there : `${there}:${home}`,
    fontcolor: there === home ? there : '#555555',
    label: `${e.from} \u2192 ${e.to}: ${what(e)}\n${back.from} \u2192 ${back.to}: ${what(back)}`,
    arrowhead: e.connection === 'closed' ? 'tee' : 'normal',
    arrowtail: back.connection === 'closed' ? 'tee' : 'normal',
    penwidth: '2',
  };
}
