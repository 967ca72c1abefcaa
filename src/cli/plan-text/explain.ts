// `--explain`: the mechanism each host pair of a TVD got, and the evidence that decided it, in
// words. The planner returns the evidence as data (plan.crossings); this only writes it out.
import type { Plan, TvdCrossings } from '../../plan/plan.js';
import type { HostEvidence } from '../../plan/mechanisms.js';
import { encapCapable, sameSegment, vlanCapable } from '../../plan/mechanisms.js';
import type { Palette } from '../palette.js';
import { fold } from './lines.js';

const ENCAP_NAME = { vxlan: 'VXLAN', gretap: 'GRETAP', etherip: 'EtherIP' } as const;

function noVlan(h: HostEvidence): string {
  const missing = [!h.vlan.mechanism && 'mechanisms.vlan is false', !h.vlan.functional && 'functional lacks "vlan"'].filter(Boolean);
  return `${h.host} has no VLAN (its capability model: ${missing.join(', ')})`;
}

function noEncap(h: HostEvidence, encap: string): string {
  const missing = [!h.encap.mechanism && `mechanisms.${encap} is false`, !h.encap.functional && 'functional lacks "ip"'].filter(Boolean);
  return `${h.host} has no ${encap} (its capability model: ${missing.join(', ')})`;
}

/** Why the pair could not use a VLAN: other segments, and each host that lacks 802.1Q. */
function whyNotVlan(a: HostEvidence, b: HostEvidence): string[] {
  const why: string[] = [];
  if (!sameSegment(a, b)) {
    const seg = (h: HostEvidence) => (h.segment === undefined ? `${h.host} names no segment` : `${h.host} is in segment ${h.segment}`);
    why.push(
      a.segment === undefined || b.segment === undefined
        ? [a, b]
            .filter((h) => h.segment === undefined)
            .map(seg)
            .join(' and ')
        : `they are in different segments (${seg(a)}, ${seg(b)})`,
    );
  }
  for (const h of [a, b]) if (!vlanCapable(h)) why.push(noVlan(h));
  return why;
}

function whyNotDedicated(a: HostEvidence, b: HostEvidence): string[] {
  const one = [a, b].find((h) => h.dedicated);
  const other = [a, b].find((h) => !h.dedicated);
  return one && other ? [`only ${one.host} has a dedicated NIC for it (${one.dedicated})`] : [];
}

/** What the pair got, and each piece of evidence that ruled out a cheaper mechanism. */
function pairText(c: TvdCrossings, p: TvdCrossings['pairs'][number]): { head: string; because: string[] } {
  const ev = new Map(c.hosts.map((h) => [h.host, h]));
  const [a, b] = [ev.get(p.hosts[0])!, ev.get(p.hosts[1])!];
  const pair = `${a.host} - ${b.host}`;
  if (p.mechanism === 'wireguard') {
    return {
      head: `${pair}: VXLAN${c.vni !== undefined ? ` (VNI ${c.vni})` : ''} inside WireGuard, since tvds.${c.tvd}.confidentiality is required (every link between hosts is untrusted)`,
      because: [],
    };
  }
  if (p.mechanism === 'dedicated')
    return { head: `${pair}: dedicated NICs (${a.host} ${a.dedicated}, ${b.host} ${b.dedicated})`, because: [] };
  if (p.mechanism === 'vlan') {
    const also = whyNotDedicated(a, b)
      .map((w) => ` (${w})`)
      .join('');
    return {
      head: `${pair}: VLAN${c.vlan !== undefined ? ` ${c.vlan}` : ''}, since both are in segment ${a.segment} and support 802.1Q${also}`,
      because: [],
    };
  }
  const because = [...whyNotDedicated(a, b), ...whyNotVlan(a, b)];
  if (p.mechanism === 'encap')
    return { head: `${pair}: ${ENCAP_NAME[c.encapsulation]}${c.vni !== undefined ? ` (VNI ${c.vni})` : ''}`, because };
  return {
    head: `${pair}: no mechanism fits`,
    because: [...because, ...[a, b].filter((h) => !encapCapable(h)).map((h) => noEncap(h, c.encapsulation))],
  };
}

export function explainText(plan: Plan, c: Palette, width = 120): string[] {
  const crossings = plan.crossings ?? [];
  const out = ['', c.bold('How each TVD crosses between its hosts, and why (from the topology and the capability models):')];
  if (crossings.length === 0) return [...out, '  No TVD spans more than one host.'];
  for (const x of crossings) {
    out.push('', `  TVD ${x.tvd}`);
    for (const p of x.pairs) {
      const { head, because } = pairText(x, p);
      const one = because.length ? `${head}, because ${because.join('; ')}` : head;
      // One line when it fits, else one line per piece of evidence.
      if (one.length + 4 <= width || because.length === 0) out.push(`    ${one}`);
      else
        out.push(
          `    ${head}, because:`,
          ...because.flatMap((w) => fold(w, width - 10).map((l, i) => `${i === 0 ? '      - ' : '        '}${l}`)),
        );
    }
  }
  return out;
}
