// The picture as a Mermaid flowchart (renders in GitHub and GitLab markdown): the same content
// as the DOT, hosts as subgraphs with a coloured subgraph per TVD.
import { FLOW_COLOR } from './colors.js';
import type { GraphVm, TopologyGraph } from './model.js';
import { hostLabel, type DotOptions } from './dot.js';

// Names match [a-z][a-z0-9-]*, and never contain `_`, so this mapping cannot make two equal ids.
const id = (kind: string, ...names: string[]) => [kind, ...names].join('_').replace(/-/g, '_');
/** Mermaid labels in "..." take #quot; for a quote; names and addresses have none, text may. */
const text = (s: string) => '"' + s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>') + '"';
const label = (v: GraphVm) => [v.name, ...v.ips].join('\n');

export function toMermaid(g: TopologyGraph, o: DotOptions = {}): string {
  const out: string[] = ['flowchart LR'];
  const styles: string[] = [];
  const color = new Map(g.tvds.map((t) => [t.name, t.color]));
  const members: string[] = [];
  for (const h of g.hosts) {
    const hid = id('host', h.name);
    out.push(`  subgraph ${hid}[${text(hostLabel(h, ' '))}]`);
    for (const grp of h.groups) {
      const gid = id('grp', h.name, grp.tvd);
      out.push(`    subgraph ${gid}[${text(grp.tvd)}]`);
      for (const v of grp.vms) out.push(`      ${id('vm', v.name)}[${text(label(v))}]`);
      out.push('    end');
      const c = color.get(grp.tvd)!;
      styles.push(`  style ${gid} fill:${c.fill},stroke:${c.stroke}`);
      members.push(`  ${gid} --- ${id('tvd', grp.tvd)}`);
    }
    for (const v of h.multi) {
      out.push(`    ${id('vm', v.name)}[${text(label(v))}]`);
      for (const t of v.tvds) members.push(`  ${id('vm', v.name)} --- ${id('tvd', t)}`);
    }
    out.push('  end');
  }
  for (const t of g.tvds) {
    out.push(`  ${id('tvd', t.name)}{{${text(t.subnet ? `TVD ${t.name}\n${t.subnet}` : `TVD ${t.name}`)}}}`);
    styles.push(`  style ${id('tvd', t.name)} fill:${t.color.stroke},stroke:${t.color.stroke},color:#ffffff`);
  }
  out.push(...members);
  let n = members.length;
  const linkStyles: string[] = [];
  for (const e of g.edges) {
    if (e.connection === 'closed' && !o.closed) continue;
    const [a, b] = [id('tvd', e.from), id('tvd', e.to)];
    if (e.connection === 'closed') out.push(`  ${a} ${e.both ? '-.-' : '-.-x'}|closed| ${b}`);
    else {
      const what = e.connection === 'open' ? 'open' : e.rules.join(', ') || 'nothing allowed';
      out.push(`  ${a} ${e.both ? '<==>' : '==>'}|${text(what)}| ${b}`);
    }
    linkStyles.push(`  linkStyle ${n++} stroke:${FLOW_COLOR[e.connection]}${e.connection === 'closed' ? ',stroke-dasharray:4' : ''}`);
  }
  out.push(...styles, ...linkStyles);
  return out.join('\n') + '\n';
}
