// The probe's output (see probe-script.ts) -> a host's capability model. Pure.
//
// The paper's functional capability C : H -> {VLAN, Ethernet, IP} is derived from the mechanisms:
//   ethernet: the Dom0 can bridge (a vSwitch per TVD);
//   vlan:     it can bridge and tag 802.1Q on its uplink;
//   ip:       it has an IP encapsulation (VXLAN, GRETAP or EtherIP) and an uplink with an IPv4 address.
// Uplinks are all interfaces except lo and the ones Xen or tvd make (vif*, tap*, tv*), so that
// a host's capability file does not change because tvd applied something there.
//
// Properties and their evidence (paper, Tables 1 and 2):
//   hypervisor-integrity  sha256 of the hypervisor binary. mutable-log: the host reports it about
//                         itself; immutable-log when a TPM quote of the boot PCRs was produced.
//   tpm                   a TPM device is present (introspection).
//   tpm-quote             sha256 of a fresh quote of PCRs 0-7 (immutable-log); only when it worked.
//   storage-encryption    dm-crypt devices exist (introspection).
//   root-users            accounts with uid 0 (introspection).
//
// bridgeNetfilter (only where br_netfilter is loaded): the bridge-nf-call-* settings and the
// forward-hook chains whose policy is drop, which the frames of tvd's bridges then meet.
import type { Capabilities, Mechanism } from './schema.js';
import { FORWARD_SOURCES, MECHANISMS, NETFILTER_FAMILIES, WIREGUARD_MECHANISMS } from './schema-constants.js';
import { PROBE_FORMAT } from './probe-script.js';

type WireguardMechanism = (typeof WIREGUARD_MECHANISMS)[number];

export type ProbeParse = { ok: true; capabilities: Capabilities } | { ok: false; error: string };

const IFNAME = /^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/;
const NOT_UPLINK = /^(lo$|vif|tap|tv)/;
/** nftables and iptables table and chain names as the probe prints them (a host's own: checked, not trusted). */
const NF_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

type BridgeNetfilter = NonNullable<Capabilities['bridgeNetfilter']>;
type ForwardDrop = BridgeNetfilter['forwardDrops'][number];
const isFamily = (f: string | undefined): f is ForwardDrop['family'] => (NETFILTER_FAMILIES as readonly (string | undefined)[]).includes(f);
const isSource = (s: string | undefined): s is ForwardDrop['source'] => (FORWARD_SOURCES as readonly (string | undefined)[]).includes(s);

export function parseProbe(host: string, output: string, collectedAt: string): ProbeParse {
  const lines = output.split('\n').map((l) => l.replace(/\r$/, ''));
  const records = lines
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [kind, ...rest] = l.trim().split(/\s+/);
      return { kind, rest };
    });
  const first = records[0];
  if (first?.kind !== 'probe') return { ok: false, error: 'the probe printed no result (is `sh` the POSIX shell there?)' };
  if (first.rest[0] !== String(PROBE_FORMAT)) return { ok: false, error: `unexpected probe format ${first.rest[0]}` };
  if (records[records.length - 1].kind !== 'end') return { ok: false, error: 'the probe output was cut off before its end' };

  const mech = Object.fromEntries(MECHANISMS.map((m) => [m, false])) as Record<Mechanism, boolean>;
  const wireguard: Partial<Record<WireguardMechanism, boolean>> = {};
  const mtu = new Map<string, number>();
  const addr = new Map<string, string>();
  const xen: Record<string, string> = {};
  const properties: Capabilities['properties'] = {};
  let uid: number | undefined;
  let hypervisor: { digest: string; path: string } | undefined;
  let tpm = false;
  let quote: string | undefined;
  let crypt: string[] = [];
  let rootUsers: string[] = [];
  const brnf = new Map<string, boolean>();
  const drops: ForwardDrop[] = [];
  const accepting = new Set<string>();

  for (const { kind, rest } of records) {
    switch (kind) {
      case 'uid':
        uid = Number(rest[0]);
        break;
      case 'mech':
        if ((MECHANISMS as readonly string[]).includes(rest[0])) mech[rest[0] as Mechanism] = rest[1] === '1';
        else if ((WIREGUARD_MECHANISMS as readonly string[]).includes(rest[0])) wireguard[rest[0] as WireguardMechanism] = rest[1] === '1';
        break;
      case 'link': {
        const n = Number(rest[1]);
        if (IFNAME.test(rest[0]) && Number.isInteger(n)) mtu.set(rest[0], n);
        break;
      }
      case 'addr': {
        const a = /^(\d{1,3}(?:\.\d{1,3}){3})\/\d{1,2}$/.exec(rest[1] ?? '');
        if (a && !addr.has(rest[0])) addr.set(rest[0], a[1]);
        break;
      }
      case 'xen':
        if (rest.length >= 2) xen[rest[0]] = rest.slice(1).join(' ');
        break;
      case 'hypervisor':
        if (/^[0-9a-f]{64}$/.test(rest[0] ?? '')) hypervisor = { digest: rest[0], path: rest.slice(1).join(' ') };
        break;
      case 'tpm':
        tpm = rest[0] === '1';
        break;
      case 'tpmquote':
        if (/^[0-9a-f]{64}$/.test(rest[0] ?? '')) quote = rest[0];
        break;
      case 'crypt':
        crypt = rest;
        break;
      case 'rootusers':
        rootUsers = rest;
        break;
      case 'brnf':
        if (['iptables', 'ip6tables', 'arptables'].includes(rest[0]) && (rest[1] === '0' || rest[1] === '1'))
          brnf.set(rest[0], rest[1] === '1');
        break;
      case 'fwddrop': {
        const [family, source, table, chain] = rest;
        if (isFamily(family) && isSource(source) && NF_NAME.test(table ?? '') && NF_NAME.test(chain ?? ''))
          drops.push({ family, source, table, chain, acceptsTvd: false });
        break;
      }
      case 'fwdaccept':
        accepting.add(rest.slice(0, 3).join(' '));
        break;
    }
  }
  if (uid !== 0) {
    return {
      ok: false,
      error: `the probe ran as uid ${uid ?? '?'}, but tvd needs root in Dom0 (it creates links and runs xl); connect as root`,
    };
  }

  const uplinks: Capabilities['uplinks'] = {};
  for (const [name, m] of [...mtu].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (NOT_UPLINK.test(name) || m < 68 || m > 65535) continue;
    uplinks[name] = addr.has(name) ? { mtu: m, address: addr.get(name)! } : { mtu: m };
  }

  const functional: Capabilities['functional'] = [];
  if (mech.bridge && mech.vlan) functional.push('vlan');
  if (mech.bridge) functional.push('ethernet');
  if ((mech.vxlan || mech.gretap || mech.etherip) && Object.values(uplinks).some((u) => u.address)) functional.push('ip');

  const version = xen.xen_version
    ? (/^(\d+\.\d+)/.exec(xen.xen_version)?.[1] ?? xen.xen_version)
    : xen.xen_major && xen.xen_minor
      ? `${xen.xen_major}.${xen.xen_minor}`
      : 'unknown';
  const xenModel: Capabilities['xen'] = { version: xen.toolstack ? version : 'none', toolstack: xen.toolstack ?? 'none' };
  if (hypervisor) xenModel.hypervisorBinary = hypervisor.path;

  if (hypervisor) {
    properties['hypervisor-integrity'] = { value: `sha256:${hypervisor.digest}`, evidence: quote ? 'immutable-log' : 'mutable-log' };
  }
  properties.tpm = { value: tpm, evidence: 'introspection' };
  if (quote) properties['tpm-quote'] = { value: `sha256:${quote}`, evidence: 'immutable-log' };
  properties['storage-encryption'] = { value: crypt.length > 0, evidence: 'introspection' };
  properties['root-users'] = { value: rootUsers, evidence: 'introspection' };

  const capabilities: Capabilities = {
    host,
    collectedAt,
    functional,
    mechanisms: { ...mech, ...wireguard },
    uplinks,
    xen: xenModel,
    properties,
  };
  if (brnf.size > 0) {
    capabilities.bridgeNetfilter = {
      callIptables: brnf.get('iptables') ?? false,
      callIp6tables: brnf.get('ip6tables') ?? false,
      callArptables: brnf.get('arptables') ?? false,
      forwardDrops: drops.map((d) => ({ ...d, acceptsTvd: accepting.has(`${d.family} ${d.source} ${d.table}`) })),
    };
  }
  return { ok: true, capabilities };
}
