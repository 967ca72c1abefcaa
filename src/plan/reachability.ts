// The static proof: from the desired resources alone, which VM NIC can reach which, through
// vSwitches, tunnels, VLANs, firewall legs, transit links and firewall rules. The result is
// compared with the flow matrix; any difference blocks the plan. It reads what the planner
// produced, so a bug in deriving firewall rules or tunnels is caught before it reaches a host.
import type { AllowRule } from '../topology/schema.js';
import type { AnyResource, EncapAttrs, FirewallAttrs, FirewallRule, Resource, TransitAttrs } from './resources.js';
import type { FlowMatrix, MatrixEntry } from './flow-matrix.js';
import { ruleKey } from './flow-matrix.js';

/** A flow class the proof tries: a protocol and maybe a port. */
export interface Probe {
  proto: 'tcp' | 'udp' | 'icmp';
  port?: number;
}

export interface ReachMismatch {
  from: { vm: string; tvd: string; host: string };
  to: { vm: string; tvd: string; host: string };
  probe: string;
  expected: boolean;
  actual: boolean;
}

export interface ProofInput {
  resources: AnyResource[];
  matrix: FlowMatrix;
  /** host -> segment, for VLANs (one segment shares one Ethernet). */
  segments: Record<string, string | undefined>;
  /** (host, tvd) pairs whose VMs are meant to be cut off. */
  isolated: { host: string; tvd: string }[];
}

/** The probes that tell any two rule sets apart: every protocol/port named anywhere, plus unnamed ones. */
export function probesFor(matrix: FlowMatrix): Probe[] {
  const seen = new Map<string, Probe>();
  const add = (p: Probe) => seen.set(ruleKey(p as AllowRule), p);
  add({ proto: 'icmp' });
  add({ proto: 'tcp', port: 1 });
  add({ proto: 'udp', port: 1 });
  // Only entries a flow names carry rules (the diagonal and the fallback have none).
  for (const a of matrix.tvds)
    for (const b of matrix.named(a))
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

type ResourceType = AnyResource['address']['type'];

/** The resources by type, sorted out once: the proof reads seven types, each a walk of every resource. */
class ByType {
  private lists = new Map<ResourceType, AnyResource[]>();
  constructor(resources: readonly AnyResource[]) {
    for (const r of resources) {
      const list = this.lists.get(r.address.type);
      if (list) list.push(r);
      else this.lists.set(r.address.type, [r]);
    }
  }
  of<T extends ResourceType>(t: T): Resource<T>[] {
    return (this.lists.get(t) ?? []) as Resource<T>[];
  }
}

const node = (host: string, bridge: string) => `${host}\u0000${bridge}`;
const linkKey = (ns1: string, if1: string, ns2: string, if2: string) => `${ns1}/${if1}>${ns2}/${if2}`;

type Firewall = FirewallAttrs & { host: string };

/** A TVD's NICs in one L2 domain (null: not admitted by its host's proxy), by one sample NIC. */
interface Group {
  tvd: string;
  domain: string | null;
  sample: { vm: string; tvd: string; host: string };
}

/** What the resources build: L2 domains, the firewall on each, the links between firewall namespaces. */
interface Wiring {
  l2: UnionFind;
  fwByDomain: Map<string, Firewall>;
  links: Set<string>;
}

export function proveReachability(input: ProofInput): ReachMismatch[] {
  const { matrix } = input;
  const resources = new ByType(input.resources);
  const l2 = l2Domains(resources, input.segments);
  const fwByDomain = new Map<string, Firewall>();
  for (const f of resources.of('firewall'))
    fwByDomain.set(l2.find(node(f.address.host, f.attrs.bridge)), { ...f.attrs, host: f.address.host });
  const wiring: Wiring = { l2, fwByDomain, links: transitLinks(resources) };
  const list = nicGroups(resources, l2);
  const probes = probesFor(matrix);
  const cut = new Set(input.isolated.map((i) => `${i.host}/${i.tvd}`));
  const mismatches: ReachMismatch[] = [];
  const candidates = candidateFinder(list, matrix, fwByDomain);
  for (const g of list) {
    const gCut = cut.has(`${g.sample.host}/${g.tvd}`);
    for (const j of candidates(g)) {
      const h = list[j];
      if (g === h) continue;
      const expected = gCut || cut.has(`${h.sample.host}/${h.tvd}`) ? never : expectation(matrix.get(g.tvd, h.tvd));
      const actual = path(wiring, g, h);
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
}

/** The L2 domains: a host's bridges joined by tunnels, VLANs and dedicated NICs. */
function l2Domains(resources: ByType, segments: ProofInput['segments']): UnionFind {
  const l2 = new UnionFind();
  // Tunnels: two hosts' VXLAN endpoints join when each lists the other and they share a VNI.
  const encaps = resources.of('encap');
  const byLocal = new Map(encaps.map((e) => [`${e.attrs.local}/${e.attrs.vni}/${e.attrs.kind}`, e]));
  const peerSets = new Map<EncapAttrs, Set<string>>();
  const listsPeer = (e: EncapAttrs, peer: string) => {
    let set = peerSets.get(e);
    if (!set) peerSets.set(e, (set = new Set(e.peers)));
    return set.has(peer);
  };
  for (const e of encaps) {
    for (const peer of e.attrs.peers) {
      const other = byLocal.get(`${peer}/${e.attrs.vni}/${e.attrs.kind}`);
      if (other && listsPeer(other.attrs, e.attrs.local))
        l2.union(node(e.address.host, e.attrs.bridge), node(other.address.host, other.attrs.bridge));
    }
  }
  // VLANs: one id on uplinks of one segment is one Ethernet.
  const vlanSeen = new Map<string, string>();
  for (const v of resources.of('vlan')) {
    const seg = segments[v.address.host];
    if (seg === undefined) continue;
    const key = `${seg}/${v.attrs.id}`;
    const here = node(v.address.host, v.attrs.bridge);
    const there = vlanSeen.get(key);
    if (there) l2.union(here, there);
    else vlanSeen.set(key, here);
  }
  // Dedicated NICs of one TVD share that TVD's own network.
  const dedicated = new Map<string, string>();
  for (const s of resources.of('vswitch')) {
    if (!s.attrs.dedicated) continue;
    const here = node(s.address.host, s.attrs.bridge);
    const there = dedicated.get(s.attrs.tvd);
    if (there) l2.union(here, there);
    else dedicated.set(s.attrs.tvd, here);
  }
  return l2;
}

/** Transit links between firewall namespaces, each direction by linkKey. */
function transitLinks(resources: ByType): Set<string> {
  const links = new Set<string>();
  const vx = new Map<string, { host: string; attrs: TransitAttrs }[]>();
  for (const t of resources.of('transit')) {
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
  return links;
}

/** NICs that the host's proxy admits, grouped by (TVD, L2 domain), by the sample's VM name. */
function nicGroups(resources: ByType, l2: UnionFind): Group[] {
  // Looked up by the names the resources hold, compared field by field: a set of every admission
  // as one string, and a new string per NIC for its domain and its group, made this the proof's
  // biggest cost at 10,000 hosts (100,000 NICs; bench/plan-scale.ts).
  const admitted = new Map<string, { host: string; bridge: string; mac: string }[]>();
  for (const p of resources.of('proxy'))
    for (const a of p.attrs.admissions) {
      const entry = { host: p.address.host, bridge: a.bridge, mac: a.mac };
      const list = admitted.get(a.vm);
      if (list) list.push(entry);
      else admitted.set(a.vm, [entry]);
    }
  const domains = new Map<string, Map<string, string>>(); // host -> bridge -> L2 domain
  const domainOf = (host: string, bridge: string): string => {
    let onHost = domains.get(host);
    if (!onHost) domains.set(host, (onHost = new Map()));
    let d = onHost.get(bridge);
    if (d === undefined) onHost.set(bridge, (d = l2.find(node(host, bridge))));
    return d;
  };
  const seen = new Map<string, Map<string | null, Group>>(); // TVD -> domain -> its group
  const groups: Group[] = []; // in the order they are met
  for (const v of resources.of('vm')) {
    const { host, name } = v.address;
    for (const n of v.attrs.nics) {
      const ok = admitted.get(name)?.some((a) => a.host === host && a.bridge === n.bridge && a.mac === n.mac) ?? false;
      const domain = ok ? domainOf(host, n.bridge) : null;
      let byDomain = seen.get(n.tvd);
      if (!byDomain) seen.set(n.tvd, (byDomain = new Map()));
      if (byDomain.has(domain)) continue;
      const g: Group = { tvd: n.tvd, domain, sample: { vm: name, tvd: n.tvd, host } };
      byDomain.set(domain, g);
      groups.push(g);
    }
  }
  return groups.sort((a, b) => (a.sample.vm < b.sample.vm ? -1 : a.sample.vm > b.sample.vm ? 1 : 0));
}

/**
 * The groups a pair with g can fail for. Trying every pair of groups was quadratic (4.7 s of a
 * 15 s plan at 10,000 hosts: bench/plan-scale.ts). A pair can only fail where the matrix or the
 * resources let something through: the matrix only on the diagonal, where a flow names the pair,
 * or everywhere under `defaults.flow: open`; the resources only within one L2 domain or towards a
 * peer of the sender's firewall. Every other pair expects nothing and gets nothing, so only these
 * candidates are tried, in the order the all-pairs walk met them
 * (test/plan/reachability-exact.test.ts compares the two).
 */
function candidateFinder(list: Group[], matrix: FlowMatrix, fwByDomain: ReadonlyMap<string, Firewall>): (g: Group) => number[] {
  const index = new Map(list.map((g, i) => [g, i]));
  const byTvd = new Map<string, number[]>();
  const byDomain = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, i: number) => {
    const l = m.get(k);
    if (l) l.push(i);
    else m.set(k, [i]);
  };
  list.forEach((g, i) => {
    push(byTvd, g.tvd, i);
    if (g.domain !== null) push(byDomain, g.domain, i);
  });
  const everyone = list.map((_, i) => i);
  return (g) => {
    if (matrix.fallback !== 'closed') return everyone;
    const out = new Set<number>(byTvd.get(g.tvd));
    const addTvd = (t: string) => {
      for (const i of byTvd.get(t) ?? []) out.add(i);
    };
    for (const t of matrix.named(g.tvd)) addTvd(t);
    if (g.domain !== null) {
      for (const i of byDomain.get(g.domain) ?? []) out.add(i);
      const fg = fwByDomain.get(g.domain);
      if (fg) for (const peer of fg.peers) addTvd(peer.tvd);
    }
    const self = index.get(g);
    if (self !== undefined) out.delete(self);
    return [...out].sort((x, y) => x - y);
  };
}

/** Which probes get from g to h through the resources. */
function path(w: Wiring, g: Group, h: Group): (p: Probe) => boolean {
  if (g.domain === null || h.domain === null) return never;
  if (g.domain === h.domain) return always;
  const fg = w.fwByDomain.get(g.domain);
  const fh = w.fwByDomain.get(h.domain);
  if (!fg || !fh || fg.tvd !== g.tvd || fh.tvd !== h.tvd) return never;
  const out = fg.peers.find((x) => x.tvd === fh.tvd);
  const back = fh.peers.find((x) => x.tvd === fg.tvd);
  if (!out || !back) return never;
  if (!w.links.has(linkKey(`${fg.host}/${fg.namespace}`, out.ifname, `${fh.host}/${fh.namespace}`, back.ifname))) return never;
  const outbound = fg.rules.filter((r) => r.direction === 'outbound' && r.peer === fh.tvd);
  const inbound = fh.rules.filter((r) => r.direction === 'inbound' && r.peer === fg.tvd);
  return (p) => allows(outbound, p) && allows(inbound, p);
}

const always = () => true;
const never = () => false;

function expectation(e: MatrixEntry): (p: Probe) => boolean {
  if (e.connection === 'open') return always;
  if (e.connection === 'closed') return never;
  return (p) => allows(e.allow, p);
}

export function describeMismatch(m: ReachMismatch): string {
  const what = m.expected ? 'cannot reach' : 'can reach';
  const want = m.expected ? 'the flow matrix allows it' : 'the flow matrix forbids it';
  return `static proof failed: ${m.from.vm} (${m.from.tvd} on ${m.from.host}) ${what} ${m.to.vm} (${m.to.tvd} on ${m.to.host}) for ${m.probe}, but ${want}`;
}
