// From topology and capability models to the desired resources of every host (paper, Figure 4:
// requirements + capability model -> per-host extensions). Pure: data in, data out.
import type { Capabilities } from '../capabilities/schema.js';
import type { Encapsulation, Topology, TvdSpec } from '../topology/schema.js';
import { DEFAULT_TRANSIT_POOL } from '../topology/schema-constants.js';
import type { Allocations } from '../state/state.js';
import type { PlanError, PlanWarning, TvdCrossings } from './plan.js';
import type { Admission, AnyResource, EncapAttrs, FirewallAttrs, TransitAttrs, VmNic, VswitchAttrs } from './resources.js';
import { compareAddresses } from './address.js';
import { connected, flowMatrix, type FlowMatrix } from './flow-matrix.js';
import { allocateIds, TRANSIT_IDS, transitVni, TVD_IDS, VLAN_IDS, type Allocated } from './ids.js';
import {
  bridgeName,
  firewallLegName,
  firewallNamespace,
  pairName,
  transitDevice,
  transitIfname,
  vifName,
  vlanName,
  vmConfigPath,
  vxlanName,
} from './interface-names.js';
import { checkMembership } from './membership.js';
import { flowNeighbours } from './flow-neighbours.js';
import { decidePair, ENCAP_OVERHEAD, hostEvidence } from './mechanisms.js';
import { firewallRules } from './firewall-rules.js';
import { firewallRuleset } from './firewall-ruleset.js';
import { macForAddress } from './mac-address.js';
import { assignMacs, nicKey } from './mac-assignment.js';
import { assignVifTags } from './vif-tags.js';
import { xlConfig } from './xl-config.js';
import { bridgeNetfilterWarnings } from './bridge-netfilter.js';
import { isConfidential, WIREGUARD_DEVICE, WIREGUARD_OVERHEAD, wireguardLack, wireguardPlanner } from './wireguard.js';
import { firstHost, intToIp, ipToInt, parseCidr, subnetsOverlap } from '../topology/cidr.js';

export const VXLAN_PORT = 4789;

export interface DesiredInput {
  topology: Topology;
  capabilities: Record<string, Capabilities>;
  /** Ids handed out by earlier applies (from the state). */
  allocations: Allocations;
  /** Digest of the rendered proxy hook and boot unit: a new tvd version updates them. */
  hookDigest: string;
  /** Where each TVD's firewall runs now (from the state): it stays there while it may. */
  priorFirewalls?: Record<string, string>;
  /** The MAC of each deployed NIC, by nicKey (from the state): it keeps it. */
  recordedMacs?: Record<string, string>;
  /** host -> VM -> the tag of its vif names there (from the state): it keeps it. */
  recordedVifTags?: Record<string, Record<string, number>>;
  /** Each host's WireGuard public key as the state recorded it (for plans without a refresh). */
  recordedWireguardKeys?: Record<string, { generation: number; publicKey: string }>;
}

export interface Isolation {
  host: string;
  tvd: string;
  reason: string;
}

export interface Desired {
  resources: AnyResource[];
  allocations: Allocations;
  errors: PlanError[];
  warnings: PlanWarning[];
  /** Hosts cut off from a TVD by `membership.onFailure: isolate`. */
  isolated: Isolation[];
  matrix: FlowMatrix;
  /** Per TVD that spans hosts: the mechanism of each host pair and the evidence it came from. */
  crossings: TvdCrossings[];
}

interface Member {
  vm: string;
  host: string;
  nic: number;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const isIpv4 = (a: string) => ipToInt(a) !== undefined;

export function gatewayOf(tvd: TvdSpec): string | undefined {
  if (tvd.gateway) return tvd.gateway;
  const c = tvd.subnet ? parseCidr(tvd.subnet) : undefined;
  const g = c ? firstHost(c) : undefined;
  return g === undefined ? undefined : intToIp(g);
}

export function buildDesired(input: DesiredInput): Desired {
  const { topology, capabilities } = input;
  const errors: PlanError[] = [];
  const warnings: PlanWarning[] = [];
  const isolated: Isolation[] = [];
  const hosts = topology.hosts ?? {};
  const vms = topology.vms ?? {};
  const tvdNames = Object.keys(topology.tvds).sort(byName);
  const encap: Encapsulation = topology.defaults?.encapsulation ?? 'vxlan';
  const matrix = flowMatrix(topology);

  // Hosts that run VMs need a capability model.
  const usedHosts = [...new Set(Object.values(vms).map((v) => v.host))].sort(byName);
  for (const h of usedHosts) {
    if (!capabilities[h]) {
      errors.push({
        code: 'no-capabilities',
        host: h,
        message: `host ${h} has no capability model: run \`tvd capabilities\` or let plan refresh it over SSH`,
      });
    }
  }
  if (errors.length) return { resources: [], allocations: input.allocations, errors, warnings, isolated, matrix, crossings: [] };

  // Members per TVD, and membership requirements per (TVD, host).
  const members = new Map<string, Member[]>(tvdNames.map((t) => [t, []]));
  for (const vm of Object.keys(vms).sort(byName)) {
    vms[vm].nics.forEach((nic, i) => members.get(nic.tvd)?.push({ vm, host: vms[vm].host, nic: i }));
  }
  const cutOff = new Set<string>();
  for (const t of tvdNames) {
    const spec = topology.tvds[t];
    const hostsOfT = [...new Set(members.get(t)!.map((m) => m.host))].sort(byName);
    for (const h of hostsOfT) {
      for (const f of checkMembership(t, spec, h, hosts[h], capabilities[h])) {
        const continual = spec.membership?.check === 'continual';
        if (continual && spec.membership?.onFailure === 'isolate') {
          cutOff.add(`${h}/${t}`);
          isolated.push({ host: h, tvd: t, reason: f.message });
          warnings.push({ code: 'membership', message: `${f.message}; its VMs are cut off from ${t} (membership.onFailure: isolate)` });
        } else if (continual) {
          warnings.push({ code: 'membership', message: `${f.message} (membership.onFailure: warn)` });
        } else {
          errors.push({ code: 'membership', tvd: t, host: h, message: f.message });
        }
      }
    }
  }
  const admitted = (m: Member) => !cutOff.has(`${m.host}/${t_of(m)}`);
  const t_of = (m: Member) => vms[m.vm].nics[m.nic].tvd;
  const carriers = new Map<string, string[]>();
  for (const t of tvdNames) {
    carriers.set(
      t,
      [
        ...new Set(
          members
            .get(t)!
            .filter(admitted)
            .map((m) => m.host),
        ),
      ].sort(byName),
    );
  }

  // Which TVDs need a firewall: those with members and an open or controlled connection to
  // another TVD with members.
  const live = tvdNames.filter((t) => carriers.get(t)!.length > 0);
  const isLive = new Set(live);
  const peersOf = new Map<string, string[]>();
  // With flows closed by default only the pairs a flow names can be connected: trying every pair
  // was quadratic in the TVDs (bench/plan-scale.ts).
  const neighbours = topology.defaults?.flow === 'open' ? undefined : flowNeighbours(topology);
  for (const t of live) {
    const peers = neighbours
      ? [...neighbours.get(t)!].filter((u) => isLive.has(u) && connected(matrix, t, u)).sort(byName)
      : live.filter((u) => connected(matrix, t, u));
    if (peers.length === 0) continue;
    for (const u of [t, ...peers]) {
      if (!topology.tvds[u].subnet) {
        errors.push({
          code: 'no-subnet',
          tvd: u,
          message: `tvds.${u} has no subnet, but it has an open or controlled connection; give it a subnet`,
        });
      }
    }
    peersOf.set(t, peers);
  }
  const transitPool = parseCidr(topology.defaults?.transit ?? DEFAULT_TRANSIT_POOL)!;
  for (const t of live) {
    const s = topology.tvds[t].subnet;
    if (s && subnetsOverlap(s, transitPool)) {
      errors.push({
        code: 'transit-pool',
        tvd: t,
        message: `tvds.${t}.subnet ${s} overlaps the transit pool ${topology.defaults?.transit ?? DEFAULT_TRANSIT_POOL}; set defaults.transit to a free range`,
      });
    }
  }
  if (errors.some((e) => e.code === 'no-subnet'))
    return { resources: [], allocations: input.allocations, errors: dedupe(errors), warnings, isolated, matrix, crossings: [] };

  // Firewall placement: pinned; else where it runs now, while that host still carries the TVD;
  // else the carrier host already holding the most connected peer firewalls (so transit links
  // stay local veths), then the most members, then by name.
  const fwHost = new Map<string, string>();
  for (const t of [...peersOf.keys()]) {
    const pinned = topology.tvds[t].firewall;
    if (pinned) {
      fwHost.set(t, pinned);
      continue;
    }
    const candidates = carriers.get(t)!.filter((h) => capabilities[h]?.mechanisms.nftables);
    const prior = input.priorFirewalls?.[t];
    if (prior && candidates.includes(prior)) {
      fwHost.set(t, prior);
      continue;
    }
    if (candidates.length === 0) {
      errors.push({
        code: 'firewall-host',
        tvd: t,
        message: `no host that carries ${t} (${carriers.get(t)!.join(', ')}) has nftables for its firewall`,
      });
      continue;
    }
    const score = (h: string) =>
      peersOf.get(t)!.filter((u) => fwHost.get(u) === h).length * 1_000_000 +
      members.get(t)!.filter((m) => m.host === h && admitted(m)).length;
    fwHost.set(
      t,
      candidates.reduce((best, h) => (score(h) > score(best) ? h : best)),
    );
  }
  for (const [t, h] of fwHost) {
    if (!capabilities[h])
      errors.push({ code: 'no-capabilities', host: h, tvd: t, message: `host ${h} runs the firewall of ${t} but has no capability model` });
    else if (!capabilities[h].mechanisms.nftables)
      errors.push({ code: 'firewall-host', host: h, tvd: t, message: `host ${h} runs the firewall of ${t} but lacks nftables` });
    else if (!carriers.get(t)!.includes(h)) carriers.set(t, [...carriers.get(t)!, h].sort(byName));
  }

  // Ids, stable across applies.
  const pinnedVni: Record<string, number> = {};
  const pinnedVlan: Record<string, number> = {};
  for (const t of tvdNames) {
    if (topology.tvds[t].vni !== undefined) pinnedVni[t] = topology.tvds[t].vni!;
    if (topology.tvds[t].vlan !== undefined) pinnedVlan[t] = topology.tvds[t].vlan!;
  }
  const liveNow = tvdNames.filter((t) => carriers.get(t)!.length > 0);
  const tvdIds = idsOrErrors(
    allocateIds(liveNow, TVD_IDS, pinnedVni, input.allocations.tvdIds),
    errors,
    (n, more) =>
      `tvds.${n}${more}: all ${TVD_IDS.max - TVD_IDS.min + 1} TVD ids (${TVD_IDS.min}..${TVD_IDS.max}) are taken; pin its vni outside them`,
  );

  // A tunnel's ends are IPv4 addresses: the uplink's from the capability model, else the host's
  // own address when that is one (it may be a DNS name, which only SSH resolves).
  // Asked once per pair of a TVD's hosts: each host's answer is kept.
  const underlays = new Map<string, string>();
  const underlay = (h: string) => {
    const known = underlays.get(h);
    if (known !== undefined) return known;
    const a = capabilities[h]?.uplinks[hosts[h].uplink]?.address ?? hosts[h].address;
    underlays.set(h, a);
    if (!isIpv4(a)) {
      errors.push({
        code: 'no-underlay',
        host: h,
        message: `host ${h} needs an IPv4 address on its uplink ${hosts[h].uplink} for tunnels, but its capability model gives none and hosts.${h}.address is the DNS name ${a}; collect its capabilities again (\`tvd capabilities\`) once the uplink has an address`,
      });
    }
    return a;
  };
  const resources: AnyResource[] = [];
  const uplinkMtuOf = (h: string) => capabilities[h]?.uplinks[hosts[h].uplink]?.mtu ?? 1500;
  const wireguard = wireguardPlanner({
    topology,
    capabilities,
    underlay,
    uplinkMtu: uplinkMtuOf,
    prior: input.allocations.wireguard ?? {},
    recordedKeys: input.recordedWireguardKeys ?? {},
    errors,
  });

  // Per TVD: mechanisms between its hosts, MTU, vSwitches, VLANs and tunnels.
  const vlanUsers: string[] = [];
  const tvdMtu = new Map<string, number>();
  const perHost = new Map<string, { dedicated: boolean; vlan: boolean; encapPeers: string[]; wireguardPeers: string[] }>();
  const etheripPair = new Map<string, string>();
  const crossings: TvdCrossings[] = [];
  const lowMtu = new Map<string, { uplinkMtu: number; mtu: number; how: string; overhead: number; tvds: string[]; hosts: Set<string> }>();
  for (const t of liveNow) {
    const hs = carriers.get(t)!;
    const secret = isConfidential(topology.tvds[t]);
    let usesEncap = false;
    let usesVlan = false;
    for (const h of hs) perHost.set(`${t}/${h}`, { dedicated: false, vlan: false, encapPeers: [], wireguardPeers: [] });
    if (hs.length > 1) {
      for (const h of hs) {
        if (!capabilities[h].uplinks[hosts[h].uplink]) {
          errors.push({
            code: 'no-uplink',
            host: h,
            tvd: t,
            message: `host ${h} has no uplink ${hosts[h].uplink} (it has: ${Object.keys(capabilities[h].uplinks).join(', ') || 'none'}); ${t} spans hosts and needs it`,
          });
        }
      }
      const evidence = hs.map((h) => hostEvidence(t, { name: h, spec: hosts[h], caps: capabilities[h] }, encap));
      const crossing: TvdCrossings = {
        tvd: t,
        encapsulation: secret ? 'vxlan' : encap,
        hosts: evidence,
        pairs: [],
        ...(secret ? { confidential: true as const } : {}),
      };
      crossings.push(crossing);
      for (let i = 0; i < hs.length; i++) {
        for (let j = i + 1; j < hs.length; j++) {
          const [a, b] = [hs[i], hs[j]];
          if (secret) {
            // Every link between hosts is untrusted: VXLAN inside WireGuard, never a VLAN or NIC.
            const lacks = [a, b].map((h) => wireguardLack(h, capabilities[h])).filter((x) => x !== undefined);
            crossing.pairs.push({ hosts: [a, b], mechanism: lacks.length ? 'none' : 'wireguard' });
            if (lacks.length) {
              errors.push({
                code: 'no-mechanism',
                tvd: t,
                host: `${a},${b}`,
                message: `TVD ${t} requires confidentiality (tvds.${t}.confidentiality) between hosts ${a} and ${b}: ${lacks.join('; ')}`,
              });
              continue;
            }
            perHost.get(`${t}/${a}`)!.wireguardPeers.push(b);
            perHost.get(`${t}/${b}`)!.wireguardPeers.push(a);
            wireguard.link(a, b);
            usesEncap = true;
            continue;
          }
          const choice = decidePair(evidence[i], evidence[j], encap);
          crossing.pairs.push({ hosts: [a, b], mechanism: choice.ok ? choice.mechanism.kind : 'none' });
          if (!choice.ok) {
            errors.push({
              code: 'no-mechanism',
              tvd: t,
              host: `${a},${b}`,
              message: `TVD ${t} cannot span hosts ${a} and ${b}: ${choice.missing}`,
            });
            continue;
          }
          const pa = perHost.get(`${t}/${a}`)!;
          const pb = perHost.get(`${t}/${b}`)!;
          if (choice.mechanism.kind === 'dedicated') pa.dedicated = pb.dedicated = true;
          else if (choice.mechanism.kind === 'vlan') {
            pa.vlan = pb.vlan = true;
            usesVlan = true;
          } else {
            pa.encapPeers.push(underlay(b));
            pb.encapPeers.push(underlay(a));
            usesEncap = true;
            // EtherIP has no key: between two hosts it can carry one TVD only.
            if (encap === 'etherip') {
              const other = etheripPair.get(`${a}/${b}`);
              if (other)
                errors.push({
                  code: 'no-mechanism',
                  tvd: t,
                  host: `${a},${b}`,
                  message: `TVDs ${other} and ${t} would both cross hosts ${a} and ${b} over EtherIP, which has no key to tell them apart; use vxlan or gretap (defaults.encapsulation), or a VLAN or dedicated NIC for one of them`,
                });
              else etheripPair.set(`${a}/${b}`, t);
            }
          }
        }
      }
    }
    if (usesVlan) vlanUsers.push(t);
    const uplinkMtu = Math.min(...hs.map(uplinkMtuOf));
    const overhead = !usesEncap ? 0 : secret ? WIREGUARD_OVERHEAD + ENCAP_OVERHEAD.vxlan : ENCAP_OVERHEAD[encap];
    const mtu = hs.length > 1 ? uplinkMtu - overhead : 1500;
    if (mtu < 1500) {
      const how = secret ? 'vxlan inside WireGuard' : encap;
      const key = `${how}/${uplinkMtu}/${mtu}`;
      const low = lowMtu.get(key) ?? lowMtu.set(key, { uplinkMtu, mtu, how, overhead, tvds: [], hosts: new Set() }).get(key)!;
      low.tvds.push(t);
      for (const h of hs) low.hosts.add(h);
    }
    tvdMtu.set(t, mtu);
  }
  // One warning for all TVDs that lose the same bytes: it repeats on every plan, and a fleet
  // has many TVDs.
  for (const low of lowMtu.values()) {
    const [tvds, its] = low.tvds.length === 1 ? [`TVD ${low.tvds[0]}`, 'its'] : [`TVDs ${low.tvds.join(', ')}`, 'their'];
    warnings.push({
      code: 'mtu',
      message: `${tvds}: ${low.how} over uplinks of MTU ${low.uplinkMtu} leaves ${low.mtu} for ${its} VMs; raise the uplink MTU of ${[...low.hosts].sort(byName).join(', ')} to ${1500 + low.overhead} to keep 1500`,
    });
  }
  const vlanIds = idsOrErrors(
    allocateIds(vlanUsers, VLAN_IDS, pinnedVlan, input.allocations.vlans),
    errors,
    (n, more) =>
      `tvds.${n}${more} would cross hosts on an 802.1Q VLAN, but all ${VLAN_IDS.max - VLAN_IDS.min + 1} VLAN ids are taken by other TVDs (one id per TVD, in every segment); give it a dedicated NIC (hosts.<name>.dedicated)`,
  );

  for (const c of crossings) {
    if (c.pairs.some((p) => p.mechanism === 'vlan') && vlanIds[c.tvd] !== undefined) c.vlan = vlanIds[c.tvd];
    if (c.pairs.some((p) => p.mechanism === 'encap' || p.mechanism === 'wireguard')) c.vni = tvdIds[c.tvd];
  }

  for (const t of liveNow) {
    const id = tvdIds[t];
    const bridge = bridgeName(id);
    const mtu = tvdMtu.get(t)!;
    for (const h of carriers.get(t)!) {
      const p = perHost.get(`${t}/${h}`)!;
      const vs: VswitchAttrs = { tvd: t, bridge, mtu };
      if (p.dedicated) vs.dedicated = hosts[h].dedicated![t];
      resources.push({ address: { host: h, type: 'vswitch', name: t }, attrs: vs });
      if (p.vlan) {
        resources.push({
          address: { host: h, type: 'vlan', name: t },
          attrs: { tvd: t, bridge, uplink: hosts[h].uplink, id: vlanIds[t], device: vlanName(vlanIds[t]) },
        });
      }
      if (p.wireguardPeers.length) {
        // The TVD's VXLAN between the hosts' inner addresses: it leaves the host only inside WireGuard.
        const e: EncapAttrs = {
          tvd: t,
          bridge,
          kind: 'vxlan',
          vni: id,
          device: vxlanName(id),
          uplink: WIREGUARD_DEVICE,
          local: wireguard.inner(h),
          dstport: VXLAN_PORT,
          mtu,
          peers: p.wireguardPeers.map((x) => wireguard.inner(x)).sort(byName),
        };
        resources.push({ address: { host: h, type: 'encap', name: t }, attrs: e });
      }
      if (p.encapPeers.length) {
        const e: EncapAttrs = {
          tvd: t,
          bridge,
          kind: encap,
          vni: id,
          device: vxlanName(id),
          uplink: hosts[h].uplink,
          local: underlay(h),
          dstport: VXLAN_PORT,
          mtu,
          peers: [...p.encapPeers].sort(byName),
        };
        resources.push({ address: { host: h, type: 'encap', name: t }, attrs: e });
      }
    }
  }

  // Firewalls and the transit links between connected ones.
  const isLiveNow = new Set(liveNow);
  const fwTvds = [...fwHost.keys()].filter((t) => isLiveNow.has(t) && capabilities[fwHost.get(t)!]?.mechanisms.nftables).sort(byName);
  const hasFw = new Set(fwTvds);
  const pairs: [string, string][] = [];
  for (const t of fwTvds) for (const u of peersOf.get(t)!) if (t < u && hasFw.has(u)) pairs.push([t, u]);
  // Each link takes a /31 of the pool, and the pool's first /31 none.
  const transitSpace = { min: TRANSIT_IDS.min, max: Math.min(TRANSIT_IDS.max, Math.max(0, 2 ** (31 - transitPool.prefix) - 1)) };
  const transitIds = idsOrErrors(
    allocateIds(
      pairs.map(([a, b]) => pairName(a, b)),
      transitSpace,
      {},
      input.allocations.transits,
    ),
    errors,
    (n, more) => {
      const pool = topology.defaults?.transit ?? DEFAULT_TRANSIT_POOL;
      const advice =
        transitSpace.max < TRANSIT_IDS.max
          ? `set defaults.transit to a larger range (a /18 holds ${TRANSIT_IDS.max})`
          : 'connect fewer pairs of TVDs';
      return `${pairs.length} pairs of connected TVDs need a transit link each, but defaults.transit ${pool} has room for ${transitSpace.max}: ${n.replace('--', ' and ')}${more} get none; ${advice}`;
    },
  );
  for (const t of fwTvds) {
    const spec = topology.tvds[t];
    const peers = peersOf
      .get(t)!
      .filter((u) => hasFw.has(u))
      .sort(byName);
    const peerLinks = peers.map((u) => ({ tvd: u, subnet: topology.tvds[u].subnet!, ifname: transitIfname(tvdIds[u]) }));
    const rules = firewallRules(matrix, t, peers);
    const fw: FirewallAttrs = {
      tvd: t,
      namespace: firewallNamespace(t),
      bridge: bridgeName(tvdIds[t]),
      leg: firewallLegName(tvdIds[t]),
      gateway: gatewayOf(spec)!,
      gatewayMac: macForAddress(gatewayOf(spec)!),
      subnet: spec.subnet!,
      mtu: tvdMtu.get(t)!,
      peers: peerLinks,
      rules,
      ruleset: firewallRuleset({ tvd: t, subnet: spec.subnet!, peers: peerLinks, rules }),
    };
    resources.push({ address: { host: fwHost.get(t)!, type: 'firewall', name: t }, attrs: fw });
  }
  for (const [a, b] of pairs) {
    const n = transitIds[pairName(a, b)];
    if (n === undefined) continue; // the pool is full: an error says so
    const base = transitPool.network + 2 * n;
    const addrA = intToIp(base);
    const addrB = intToIp(base + 1);
    const end = (t: string, mine: string, theirs: string, peer: string) => ({
      tvd: t,
      namespace: firewallNamespace(t),
      ifname: transitIfname(tvdIds[peer]),
      address: `${mine}/31`,
      mac: macForAddress(mine),
      peerAddress: `${theirs}/31`,
      peerSubnet: topology.tvds[peer].subnet!,
    });
    const endA = end(a, addrA, addrB, b);
    const endB = end(b, addrB, addrA, a);
    const [ha, hb] = [fwHost.get(a)!, fwHost.get(b)!];
    const mtu = Math.min(tvdMtu.get(a)!, tvdMtu.get(b)!);
    if (ha === hb) {
      const attrs: TransitAttrs = { pair: [a, b], kind: 'veth', ends: [endA, endB], mtu };
      resources.push({ address: { host: ha, type: 'transit', name: pairName(a, b) }, attrs });
    } else {
      // A link that carries a confidential TVD's frames runs inside WireGuard, as its VXLAN does.
      const secret = [a, b].find((t) => isConfidential(topology.tvds[t]));
      const tunnelMtu = Math.min(...[ha, hb].map(uplinkMtuOf)) - ENCAP_OVERHEAD.vxlan - (secret ? WIREGUARD_OVERHEAD : 0);
      if (secret) {
        const lacks = [ha, hb].map((h) => wireguardLack(h, capabilities[h])).filter((x) => x !== undefined);
        if (lacks.length) {
          errors.push({
            code: 'no-mechanism',
            tvd: secret,
            host: `${ha},${hb}`,
            message: `TVD ${secret} requires confidentiality (tvds.${secret}.confidentiality), so the link between the firewalls of ${a} (on ${ha}) and ${b} (on ${hb}) needs WireGuard: ${lacks.join('; ')}. Or pin both firewalls to one host with tvds.<name>.firewall`,
          });
          continue;
        }
        wireguard.link(ha, hb);
      }
      for (const [h, e, other] of [
        [ha, endA, hb],
        [hb, endB, ha],
      ] as const) {
        if (!capabilities[h].mechanisms.vxlan) {
          errors.push({
            code: 'no-mechanism',
            host: h,
            message: `the firewalls of ${a} (on ${ha}) and ${b} (on ${hb}) need a vxlan transit link; host ${h} lacks vxlan. Pin both firewalls to one host with tvds.<name>.firewall`,
          });
          continue;
        }
        const attrs: TransitAttrs = {
          pair: [a, b],
          kind: 'vxlan',
          ends: [e],
          vni: transitVni(n),
          device: transitDevice(n),
          uplink: secret ? WIREGUARD_DEVICE : hosts[h].uplink,
          local: secret ? wireguard.inner(h) : underlay(h),
          remote: secret ? wireguard.inner(other) : underlay(other),
          dstport: VXLAN_PORT,
          mtu: Math.min(mtu, tunnelMtu),
        };
        resources.push({ address: { host: h, type: 'transit', name: pairName(a, b) }, attrs });
      }
    }
  }

  const tunnels = wireguard.finish();
  resources.push(...tunnels.resources);

  // VMs, and each host's proxy with the admissions it grants. MACs are assigned for every NIC
  // of the topology, cut off or not, so that they depend on the file and the state alone.
  const vmNames = Object.keys(vms).sort(byName);
  const assigned = assignMacs(
    vmNames.flatMap((vm) => vms[vm].nics.map((nic, index) => ({ vm, index, tvd: nic.tvd, ...(nic.mac ? { mac: nic.mac } : {}) }))),
    input.recordedMacs ?? {},
  );
  for (const message of assigned.errors) errors.push({ code: 'mac-collision', message });
  warnings.push(...assigned.warnings.map((message) => ({ code: 'mac-taken' as const, message })));
  const vmsOn = new Map<string, string[]>();
  for (const vm of vmNames) {
    const list = vmsOn.get(vms[vm].host);
    if (list) list.push(vm);
    else vmsOn.set(vms[vm].host, [vm]);
  }
  const vifTags = new Map<string, number>();
  for (const [h, list] of vmsOn) for (const [vm, tag] of assignVifTags(list, input.recordedVifTags?.[h])) vifTags.set(vm, tag);
  const admissions = new Map<string, Admission[]>();
  for (const vm of vmNames) {
    const spec = vms[vm];
    const nics: VmNic[] = [];
    const mtus: number[] = [];
    spec.nics.forEach((nic, i) => {
      if (cutOff.has(`${spec.host}/${nic.tvd}`) || tvdIds[nic.tvd] === undefined) return;
      const mac = assigned.macs.get(nicKey(vm, nic.tvd));
      if (mac === undefined) return;
      const bridge = bridgeName(tvdIds[nic.tvd]);
      nics.push({ tvd: nic.tvd, bridge, mac, ...(nic.ip ? { ip: nic.ip } : {}), vifname: vifName(vifTags.get(vm)!, i) });
      mtus.push(tvdMtu.get(nic.tvd)!);
      const list = admissions.get(spec.host) ?? [];
      list.push({ vm, tvd: nic.tvd, bridge, mac });
      admissions.set(spec.host, list);
    });
    const first = nics.find((n) => n.ip);
    const tvdOfFirst = first ? topology.tvds[first.tvd] : undefined;
    const guest =
      first && tvdOfFirst?.subnet
        ? {
            ip: first.ip!,
            prefix: parseCidr(tvdOfFirst.subnet)!.prefix,
            ...(hasFw.has(first.tvd) ? { gateway: gatewayOf(tvdOfFirst) } : {}),
          }
        : undefined;
    resources.push({
      address: { host: spec.host, type: 'vm', name: vm },
      attrs: { path: vmConfigPath(vm), config: xlConfig(vm, spec.host, spec, nics, mtus, guest), start: spec.start ?? false, nics },
    });
  }
  const proxyHosts = [...new Set(resources.map((r) => r.address.host))].sort(byName);
  for (const h of proxyHosts) {
    const list = (admissions.get(h) ?? []).sort((x, y) => byName(x.vm, y.vm) || byName(x.bridge, y.bridge));
    resources.push({ address: { host: h, type: 'proxy', name: h }, attrs: { admissions: list, hookDigest: input.hookDigest } });
  }

  resources.sort((x, y) => compareAddresses(x.address, y.address));
  const bridgeHosts = [...new Set(resources.filter((r) => r.address.type === 'vswitch').map((r) => r.address.host))].sort(byName);
  warnings.push(...bridgeNetfilterWarnings(bridgeHosts, capabilities).map((message) => ({ code: 'bridge-netfilter' as const, message })));
  const allocations: Allocations = {
    tvdIds: { ...input.allocations.tvdIds, ...tvdIds },
    vlans: { ...input.allocations.vlans, ...vlanIds },
    transits: { ...input.allocations.transits, ...transitIds },
    ...(input.allocations.wireguard || Object.keys(tunnels.allocations).length
      ? { wireguard: { ...input.allocations.wireguard, ...tunnels.allocations } }
      : {}),
  };
  return { resources: errors.length ? [] : resources, allocations, errors: dedupe(errors), warnings, isolated, matrix, crossings };
}

/** The ids, and one error for the names the space had no room for (naming the first). */
function idsOrErrors(a: Allocated, errors: PlanError[], message: (first: string, more: string) => string): Record<string, number> {
  const [first, ...others] = a.unassigned;
  if (first !== undefined)
    errors.push({ code: 'ids-exhausted', message: message(first, others.length ? ` (and ${others.length} more)` : '') });
  return a.ids;
}

function dedupe(errors: PlanError[]): PlanError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}
