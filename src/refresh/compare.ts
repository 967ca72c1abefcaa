// The heart of verify, pure: a host's recorded resources (from the state) against what is live
// there (the inventory), to findings of kind drift (a part tvd made changed or went) and
// foreign (a port tvd did not make on one of its TVD bridges). What is checked per type is
// what that type's `up` makes (src/apply/render/*), so whatever is found, `up` repairs.
import { createHash } from 'node:crypto';
import type { StateResource } from '../state/state.js';
import type {
  EncapAttrs,
  FirewallAttrs,
  ProxyAttrs,
  TransitAttrs,
  VlanAttrs,
  VmAttrs,
  VswitchAttrs,
  WireguardAttrs,
} from '../plan/resources.js';
import { addressKey } from '../address/address.js';
import { vmConfigText } from '../plan/xl-config.js';
import { perPeerDevice } from '../apply/render/encap.js';
import { rulesetPath } from '../apply/render/firewall.js';
import { policyFile } from '../apply/render/policy-file.js';
import { VIF_HOOK } from '../apply/render/vif-hook.js';
import { BOOT_SCRIPT, BOOT_UNIT } from '../apply/render/boot-unit.js';
import { BOOT_SCRIPT_PATH, BOOT_UNIT_PATH, POLICY_PATH, VIF_HOOK_PATH } from '../host/paths.js';
import { proxyHookDigest } from '../apply/render/proxy.js';
import type { Inventory, LiveLink } from './inventory.js';
import { compareFindings, type Finding } from './finding.js';
import { PROBE_PREFIX } from './probe-sweep.js';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export function compareHost(host: string, resources: StateResource[], inv: Inventory): Finding[] {
  const findings: Finding[] = [];
  const mine = resources.filter((r) => r.host === host && r.status !== 'tainted');
  const linkIn = (ns: string, name: string): LiveLink | undefined => inv.links[ns]?.find((l) => l.name === name);
  const root = (name: string) => linkIn('', name);

  for (const r of mine) {
    const address = addressKey(r);
    const drift = (message: string) => findings.push({ kind: 'drift', host, address, message });
    /** A port: it exists and is on `bridge`. */
    const port = (what: string, name: string, bridge: string): LiveLink | undefined => {
      const l = root(name);
      const label = what.replace('NAME', name);
      if (!l) drift(`${label} is gone`);
      else if (l.master !== bridge) drift(`${label} is ${l.master ? `on ${l.master}` : 'on no bridge'}, not on ${bridge}`);
      return l;
    };
    const mtu = (what: string, l: LiveLink | undefined, want: number) => {
      if (l && l.mtu !== want) drift(`${what} ${l.name} has MTU ${l.mtu}, not ${want}`);
    };
    const file = (path: string, content: string, what: string) => {
      const have = inv.files[path];
      if (have === undefined) drift(`${what} ${path} is gone`);
      else if (have !== sha256(content)) drift(`${what} ${path} was changed`);
    };
    switch (r.type) {
      case 'proxy': {
        const a = r.attrs as ProxyAttrs;
        file(POLICY_PATH, policyFile(host, a.admissions), 'the policy');
        // An older tvd's hook is not drift: the plan updates it anyway.
        if (a.hookDigest === proxyHookDigest()) {
          file(VIF_HOOK_PATH, VIF_HOOK, 'the vif hook');
          file(BOOT_SCRIPT_PATH, BOOT_SCRIPT, 'the boot script');
          file(BOOT_UNIT_PATH, BOOT_UNIT, 'the boot unit');
        }
        break;
      }
      case 'vswitch': {
        const a = r.attrs as VswitchAttrs;
        const l = root(a.bridge);
        if (!l) drift(`bridge ${a.bridge} is gone`);
        else if (l.kind !== 'bridge') drift(`${a.bridge} is a ${l.kind || 'plain'} link, not a bridge`);
        else {
          mtu('bridge', l, a.mtu);
          if (!l.up) drift(`bridge ${a.bridge} is down`);
        }
        if (a.dedicated) port('the dedicated NIC NAME', a.dedicated, a.bridge);
        break;
      }
      case 'vlan': {
        const a = r.attrs as VlanAttrs;
        port('VLAN device NAME', a.device, a.bridge);
        break;
      }
      case 'encap': {
        const a = r.attrs as EncapAttrs;
        if (a.kind === 'vxlan') {
          const l = port('VXLAN device NAME', a.device, a.bridge);
          if (l && (l.kind !== 'vxlan' || l.params.id !== String(a.vni))) drift(`${a.device} is not VXLAN ${a.vni} any more`);
          else if (l && l.params.local !== undefined && l.params.local !== a.local)
            drift(`${a.device} sends from ${l.params.local}, not ${a.local}`);
          mtu('VXLAN device', l, a.mtu);
          if (l) {
            const have = inv.fdb[a.device] ?? [];
            const gone = a.peers.filter((p) => !have.includes(p));
            const extra = have.filter((p) => !a.peers.includes(p));
            if (gone.length) drift(`${a.device} no longer floods to ${gone.join(', ')}`);
            if (extra.length) drift(`${a.device} also floods to ${extra.join(', ')}, which tvd did not add`);
          }
        } else {
          for (const p of a.peers) mtu('tunnel', port('tunnel NAME', perPeerDevice(a.device, p), a.bridge), a.mtu);
        }
        break;
      }
      case 'wireguard': {
        const a = r.attrs as WireguardAttrs;
        const l = root(a.device);
        const kind = a.implementation === 'kernel' ? 'wireguard' : 'tun';
        if (!l) {
          drift(`WireGuard interface ${a.device} is gone`);
          break;
        }
        if (l.kind !== kind)
          drift(
            `${a.device} is a ${l.kind || 'plain'} link, not ${a.implementation === 'kernel' ? "the kernel's WireGuard" : "wireguard-go's tun"}`,
          );
        mtu('WireGuard interface', l, a.mtu);
        if (!l.up) drift(`WireGuard interface ${a.device} is down`);
        const live = inv.wireguard?.[a.device];
        if (live?.publicKey !== a.publicKey)
          drift(`${a.device} has ${live?.publicKey ? 'another key' : 'no key'}, not the one of generation ${a.generation}`);
        const have = live?.peers ?? {};
        for (const p of a.peers) {
          const ips = have[p.publicKey];
          if (!ips) drift(`${a.device} has no peer for ${p.host}`);
          else if (ips.join(' ') !== `${p.address}/32`)
            drift(`${a.device} accepts ${ips.join(', ') || 'nothing'} from ${p.host}, not ${p.address}/32`);
        }
        const extra = Object.keys(have).filter((k) => !a.peers.some((p) => p.publicKey === k));
        if (extra.length) drift(`${a.device} has ${extra.length} peer(s) that tvd did not add`);
        break;
      }
      case 'firewall': {
        const a = r.attrs as FirewallAttrs;
        if (!inv.namespaces.includes(a.namespace)) {
          drift(`namespace ${a.namespace} is gone`);
        } else {
          const lan = linkIn(a.namespace, 'lan0');
          if (!lan) drift(`lan0 in ${a.namespace} is gone`);
          else mtu('lan0 in namespace', lan, a.mtu);
          const rs = inv.rulesets[a.namespace];
          if (!rs?.loaded) drift(`the nftables ruleset of ${a.namespace} has no snapshot of its last load`);
          else if (rs.live !== rs.loaded) drift(`the nftables ruleset loaded in ${a.namespace} was changed`);
        }
        mtu('firewall leg', port('firewall leg NAME', a.leg, a.bridge), a.mtu);
        file(rulesetPath(a.namespace), `flush ruleset\n${a.ruleset}`, 'the ruleset file');
        break;
      }
      case 'transit': {
        const a = r.attrs as TransitAttrs;
        for (const e of a.ends) {
          // Gone with its namespace: the firewall's up makes the namespace again, this up the link.
          if (!inv.namespaces.includes(e.namespace)) {
            drift(`transit link ${e.ifname} is gone with namespace ${e.namespace}`);
            continue;
          }
          const l = linkIn(e.namespace, e.ifname);
          if (!l) drift(`transit link ${e.ifname} in ${e.namespace} is gone`);
          else if (!l.up) drift(`transit link ${e.ifname} in ${e.namespace} is down`);
        }
        break;
      }
      case 'vm': {
        const a = r.attrs as VmAttrs;
        file(a.path, vmConfigText(r, a), 'the config');
        if (a.start) {
          if (!inv.domains.includes(r.name)) drift(`domain ${r.name} is not running`);
          else for (const n of a.nics) port(`vif NAME of ${r.name} (TVD ${n.tvd})`, n.vifname, n.bridge);
        }
        break;
      }
    }
  }

  // Foreign ports: anything on one of tvd's bridges that no resource of this host put there.
  const bridges = new Map<string, StateResource>();
  for (const r of mine) if (r.type === 'vswitch') bridges.set((r.attrs as VswitchAttrs).bridge, r);
  const expected = new Set<string>();
  // A tainted resource's ports are tvd's own interrupted work (a VM whose create was cut off left
  // its vif behind): the replace the plan holds for it cleans them up, they are not foreign.
  const ours = resources.filter((r) => r.host === host);
  for (const r of ours) {
    const a = r.attrs as Record<string, unknown>;
    if (r.type === 'vswitch' && a.dedicated) expected.add(`${a.bridge}/${a.dedicated}`);
    if (r.type === 'vlan') expected.add(`${a.bridge}/${a.device}`);
    if (r.type === 'firewall') expected.add(`${a.bridge}/${a.leg}`);
    if (r.type === 'encap') {
      const e = a as unknown as EncapAttrs;
      if (e.kind === 'vxlan') expected.add(`${e.bridge}/${e.device}`);
      else for (const p of e.peers) expected.add(`${e.bridge}/${perPeerDevice(e.device, p)}`);
    }
    if (r.type === 'vm') for (const n of (a as unknown as VmAttrs).nics) expected.add(`${n.bridge}/${n.vifname}`);
  }
  for (const l of inv.links[''] ?? []) {
    const vs = l.master ? bridges.get(l.master) : undefined;
    // A probe of `verify --probe` is tvd's: the refresh removed it if it was left behind.
    if (!vs || expected.has(`${l.master}/${l.name}`) || l.name.startsWith(PROBE_PREFIX)) continue;
    findings.push({
      kind: 'foreign',
      host,
      address: addressKey(vs),
      message: `${l.name}${l.kind ? ` (${l.kind})` : ''} is on bridge ${l.master} of TVD ${vs.name}, and tvd did not put it there`,
    });
  }
  return findings.sort(compareFindings);
}
