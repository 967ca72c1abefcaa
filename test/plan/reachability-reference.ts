// The reference for the static proof: the proof as it was before it learnt to skip pairs
// (git show ca27898:src/plan/reachability.ts), kept word for word but for its names. It tries
// every ordered pair of (TVD, L2 domain) groups and takes its probes from every pair of TVDs, so
// it is quadratic and plainly complete; reachability-exact.test.ts holds the real proof to it.
import type { AllowRule } from '../../src/topology/schema.js';
import type { AnyResource, FirewallAttrs, FirewallRule, Resource, TransitAttrs } from '../../src/plan/resources.js';
import type { FlowMatrix, MatrixEntry } from '../../src/plan/flow-matrix.js';
import { ruleKey } from '../../src/plan/flow-matrix.js';
import type { Probe, ProofInput, ReachMismatch } from '../../src/plan/reachability.js';

export function referenceProbes(matrix: FlowMatrix): Probe[] {
  const seen = new Map<string, Probe>();
  const add = (p: Probe) => seen.set(ruleKey(p as AllowRule), p);
  add({ proto: 'icmp' });
  add({ proto: 'tcp', port: 1 });
  add({ proto: 'udp', port: 1 });
  for (const a of matrix.tvds)
    for (const b of matrix.tvds)
      for (const r of matrix.get(a, b).allow) add(r.port === undefined && r.proto !== 'icmp' ? { proto: r.proto, port: 1 } : r);
  return [...seen.values()].sort((x, y) => (ruleKey(x as AllowRule) < ruleKey(y as AllowRule) ? -1 : 1));
}

function allows(rules: AllowRule[] | FirewallRule[], p: Probe): boolean {
  return rules.some((r) => r.proto === undefined || (r.proto === p.proto && (r.port === undefined || r.port === p.port)));
}

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

const of = <T extends AnyResource['address']['type']>(rs: AnyResource[], t: T) =>
  rs.filter((r): r is Extract<AnyResource, Resource<T>> => r.address.type === t) as Resource<T>[];

export function referenceProof(input: ProofInput): ReachMismatch[] {
  const { resources, matrix } = input;
  const l2 = new UnionFind();
  const node = (host: string, bridge: string) => `${host}\u0000${bridge}`;

  // Tunnels: two hosts' VXLAN endpoints join when each lists the other and they share a VNI.
  const encaps = of(resources, 'encap');
  const byLocal = new Map(encaps.map((e) => [`${e.attrs.local}/${e.attrs.vni}/${e.attrs.kind}`, e]));
  for (const e of encaps) {
    for (const peer of e.attrs.peers) {
      const other = byLocal.get(`${peer}/${e.attrs.vni}/${e.attrs.kind}`);
      if (other?.attrs.peers.includes(e.attrs.local))
        l2.union(node(e.address.host, e.attrs.bridge), node(other.address.host, other.attrs.bridge));
    }
  }
  // VLANs: one id on uplinks of one segment is one Ethernet.
  const vlanSeen = new Map<string, string>();
  for (const v of of(resources, 'vlan')) {
    const seg = input.segments[v.address.host];
    if (seg === undefined) continue;
    const key = `${seg}/${v.attrs.id}`;
    const here = node(v.address.host, v.attrs.bridge);
    const there = vlanSeen.get(key);
    if (there) l2.union(here, there);
    else vlanSeen.set(key, here);
  }
  // Dedicated NICs of one TVD share that TVD's own network.
  const dedicated = new Map<string, string>();
  for (const s of of(resources, 'vswitch')) {
    if (!s.attrs.dedicated) continue;
    const here = node(s.address.host, s.attrs.bridge);
    const there = dedicated.get(s.attrs.tvd);
    if (there) l2.union(here, there);
    else dedicated.set(s.attrs.tvd, here);
  }

  // Firewalls by the L2 domain of their leg, and transit links between firewall namespaces.
  const fwByDomain = new Map<string, FirewallAttrs & { host: string }>();
  for (const f of of(resources, 'firewall'))
    fwByDomain.set(l2.find(node(f.address.host, f.attrs.bridge)), { ...f.attrs, host: f.address.host });
  const links = new Set<string>();
  const linkKey = (ns1: string, if1: string, ns2: string, if2: string) => `${ns1}/${if1}>${ns2}/${if2}`;
  const transits = of(resources, 'transit');
  const vx = new Map<string, { host: string; attrs: TransitAttrs }[]>();
  for (const t of transits) {
    if (t.attrs.kind === 'veth' && t.attrs.ends.length === 2) {
      const [a, b] = t.attrs.ends;
      links.add(linkKey(`${t.address.host}/${a.namespace}`, a.ifname, `${t.address.host}/${b.namespace}`, b.ifname));
      links.add(linkKey(`${t.address.host}/${b.namespace}`, b.ifname, `${t.address.host}/${a.namespace}`, a.ifname));
    } else if (t.attrs.kind === 'vxlan') {
      const k = String(t.attrs.vni);
      vx.set(k, [...(vx.get(k) ?? []), { host: t.address.host, attrs: t.attrs }]);
    }
  }
  for (const ends of vx.values()) {
    if (ends.length !== 2) continue;
    const [x, y] = ends;
    if (x.attrs.remote !== y.attrs.local || y.attrs.remote !== x.attrs.local) continue;
    const [a, b] = [x.attrs.ends[0], y.attrs.ends[0]];
    links.add(linkKey(`${x.host}/${a.namespace}`, a.ifname, `${y.host}/${b.namespace}`, b.ifname));
    links.add(linkKey(`${y.host}/${b.namespace}`, b.ifname, `${x.host}/${a.namespace}`, a.ifname));
  }

  // NICs that the host's proxy admits, grouped by (TVD, L2 domain).
  const admitted = new Set<string>();
  for (const p of of(resources, 'proxy'))
    for (const a of p.attrs.admissions) admitted.add(`${p.address.host}/${a.vm}/${a.bridge}/${a.mac}`);
  interface Group {
    tvd: string;
    domain: string | null;
    sample: { vm: string; tvd: string; host: string };
  }
  const groups = new Map<string, Group>();
  for (const v of of(resources, 'vm')) {
    for (const n of v.attrs.nics) {
      const ok = admitted.has(`${v.address.host}/${v.address.name}/${n.bridge}/${n.mac}`);
      const domain = ok ? l2.find(node(v.address.host, n.bridge)) : null;
      const key = `${n.tvd}\u0000${domain}`;
      if (!groups.has(key)) groups.set(key, { tvd: n.tvd, domain, sample: { vm: v.address.name, tvd: n.tvd, host: v.address.host } });
    }
  }

  const probes = referenceProbes(matrix);
  const cut = new Set(input.isolated.map((i) => `${i.host}/${i.tvd}`));
  const mismatches: ReachMismatch[] = [];
  const list = [...groups.values()].sort((a, b) => (a.sample.vm < b.sample.vm ? -1 : a.sample.vm > b.sample.vm ? 1 : 0));
  // Per pair of groups, what is expected and what the resources do is worked out once and then
  // tried against every probe (per probe, it was 3 s for 1,000 TVDs: bench/plan-scale.ts).
  for (const g of list) {
    const gCut = cut.has(`${g.sample.host}/${g.tvd}`);
    for (const h of list) {
      if (g === h) continue;
      const expected = gCut || cut.has(`${h.sample.host}/${h.tvd}`) ? () => false : expectation(matrix.get(g.tvd, h.tvd));
      const actual = path(g, h);
      if (expected === actual && (actual === never || actual === always)) continue;
      for (const p of probes) {
        const e = expected(p);
        const a = actual(p);
        if (e !== a) {
          mismatches.push({ from: g.sample, to: h.sample, probe: ruleKey(p as AllowRule), expected: e, actual: a });
          break;
        }
      }
    }
  }
  return mismatches;

  /** Which probes get from g to h through the resources. */
  function path(g: Group, h: Group): (p: Probe) => boolean {
    if (g.domain === null || h.domain === null) return never;
    if (g.domain === h.domain) return always;
    const fg = fwByDomain.get(g.domain);
    const fh = fwByDomain.get(h.domain);
    if (!fg || !fh || fg.tvd !== g.tvd || fh.tvd !== h.tvd) return never;
    const out = fg.peers.find((x) => x.tvd === fh.tvd);
    const back = fh.peers.find((x) => x.tvd === fg.tvd);
    if (!out || !back) return never;
    if (!links.has(linkKey(`${fg.host}/${fg.namespace}`, out.ifname, `${fh.host}/${fh.namespace}`, back.ifname))) return never;
    const outbound = fg.rules.filter((r) => r.direction === 'outbound' && r.peer === fh.tvd);
    const inbound = fh.rules.filter((r) => r.direction === 'inbound' && r.peer === fg.tvd);
    return (p) => allows(outbound, p) && allows(inbound, p);
  }
}

const always = () => true;
const never = () => false;

function expectation(e: MatrixEntry): (p: Probe) => boolean {
  if (e.connection === 'open') return always;
  if (e.connection === 'closed') return never;
  return (p) => allows(e.allow, p);
}
