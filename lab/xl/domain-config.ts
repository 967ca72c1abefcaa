// From parsed xl.cfg values to the domain the lab builds, refusing what xl/libxl refuse:
// no name, a non-numeric memory, maxmem < memory, a vif that is not a list of strings, an
// unknown or malformed vif key (xl-network-configuration(5)), two vifs with one devid.
// Also the guest's own view of its network: the kernel's `ip=` from cmdline/extra. Pure.
import type { CfgValue } from './cfg-parse.js';

export interface VifSpec {
  devid: number;
  mac?: string;
  bridge: string;
  ip?: string;
  script: string;
  vifname?: string;
  gatewaydev?: string;
  type?: 'vif' | 'ioemu';
  model?: string;
  rate?: string;
  mtu?: number;
  backend?: string;
}

export interface DomainConfig {
  name: string;
  type: 'pv' | 'pvh' | 'hvm';
  memory: number; // MiB
  maxmem: number;
  vcpus: number;
  kernel?: string;
  cmdline: string; // what the guest kernel sees: cmdline, else root= + extra
  vifs: VifSpec[];
}

export class XlConfigError extends Error {}

const DEFAULT_BRIDGE = 'xenbr0';
const DEFAULT_SCRIPT = 'vif-bridge';

function atom(cfg: Map<string, CfgValue>, key: string): string | undefined {
  const v = cfg.get(key);
  if (!v) return undefined;
  if (v.kind !== 'atom') throw new XlConfigError(`config parameter \`${key}' is a list but should be a single value`);
  return v.value;
}

/** xlu_cfg_get_long: C strtol with base 0 (decimal, 0octal, 0xhex) over the whole string. */
function long(cfg: Map<string, CfgValue>, key: string): number | undefined {
  const s = atom(cfg, key);
  if (s === undefined) return undefined;
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^0[0-7]+$/.test(s) ? parseInt(s, 8) : /^\d+$/.test(s) ? parseInt(s, 10) : NaN;
  if (Number.isNaN(n)) throw new XlConfigError(`config parameter \`${key}' is not a number: ${s}`);
  return n;
}

export function domainConfig(cfg: Map<string, CfgValue>): DomainConfig {
  const name = atom(cfg, 'name');
  if (name === undefined || name === '') throw new XlConfigError('Domain name must be specified.');
  if (/^\d+$/.test(name) || !/^[A-Za-z0-9_.:+-]+$/.test(name) || name === '.' || name === '..' || name === 'Domain-0') {
    throw new XlConfigError(`domain name '${name}' is not allowed (digits only, '/', spaces or Domain-0)`);
  }
  const typeRaw = atom(cfg, 'type') ?? (atom(cfg, 'builder') === 'hvm' ? 'hvm' : 'pv');
  if (typeRaw !== 'pv' && typeRaw !== 'pvh' && typeRaw !== 'hvm') throw new XlConfigError(`Invalid domain type ${typeRaw}.`);
  // libxl's default is 32 MiB when memory= is absent; maxmem defaults to memory.
  const memory = long(cfg, 'memory') ?? 32;
  const maxmem = long(cfg, 'maxmem') ?? memory;
  if (memory < 1) throw new XlConfigError(`memory=${memory}: must be at least 1 MiB`);
  if (maxmem < memory) throw new XlConfigError(`maxmem (${maxmem}) must be greater than or equal to memory (${memory})`);
  const vcpus = long(cfg, 'vcpus') ?? 1;
  if (vcpus < 1) throw new XlConfigError('vcpus must be at least 1');
  const cmdlineKey = atom(cfg, 'cmdline');
  const root = atom(cfg, 'root');
  const extra = atom(cfg, 'extra');
  const cmdline = cmdlineKey ?? [root !== undefined ? `root=${root}` : undefined, extra].filter((s) => s !== undefined).join(' ');

  const vifs: VifSpec[] = [];
  const v = cfg.get('vif');
  if (v && v.kind !== 'list') throw new XlConfigError("config parameter `vif' is a single value but should be a list");
  for (const [i, item] of (v?.kind === 'list' ? v.items : []).entries()) {
    if (item.kind !== 'atom') throw new XlConfigError(`vif ${i}: each vif must be a string`);
    vifs.push(parseVifSpec(item.value.split(','), i));
  }
  const seen = new Set<number>();
  for (const nic of vifs) {
    if (seen.has(nic.devid)) throw new XlConfigError(`two vifs with devid ${nic.devid}`);
    seen.add(nic.devid);
  }
  return { name, type: typeRaw, memory, maxmem, vcpus, kernel: atom(cfg, 'kernel'), cmdline, vifs };
}

/** One vif: `key=value` tokens (comma-separated in a config, separate args to network-attach). */
export function parseVifSpec(tokens: string[], defaultDevid: number): VifSpec {
  const nic: VifSpec = { devid: defaultDevid, bridge: DEFAULT_BRIDGE, script: DEFAULT_SCRIPT };
  for (const raw of tokens) {
    const tok = raw.trim();
    if (tok === '') continue;
    const eq = tok.indexOf('=');
    const key = eq < 0 ? tok : tok.slice(0, eq);
    const val = eq < 0 ? '' : tok.slice(eq + 1);
    if (eq < 0) throw new XlConfigError(`unrecognized argument \`${tok}'`);
    switch (key) {
      case 'mac':
        nic.mac = parseMac(val);
        break;
      case 'bridge':
        nic.bridge = val;
        break;
      case 'ip':
        nic.ip = val;
        break;
      case 'script':
        if (val === '') throw new XlConfigError("Invalid parameter `script'.");
        nic.script = val;
        break;
      case 'vifname':
        if (!/^[^\s/:]{1,15}$/.test(val)) throw new XlConfigError(`Invalid parameter \`vifname': '${val}' is not a valid interface name`);
        nic.vifname = val;
        break;
      case 'gatewaydev':
      case 'netdev':
        nic.gatewaydev = val;
        break;
      case 'type':
        if (val !== 'vif' && val !== 'ioemu') throw new XlConfigError("Invalid parameter `type'.");
        nic.type = val;
        break;
      case 'model':
        nic.model = val;
        break;
      case 'rate':
        if (!/^\d+(\.\d+)?[GMK]?[Bb]\/s(@\d+(ms|us|s))?$/.test(val)) throw new XlConfigError(`vif: invalid rate: ${val}`);
        nic.rate = val;
        break;
      case 'mtu':
        if (!/^\d+$/.test(val) || Number(val) < 68 || Number(val) > 65535) throw new XlConfigError("Invalid parameter `mtu'.");
        nic.mtu = Number(val);
        break;
      case 'devid':
        if (!/^\d+$/.test(val)) throw new XlConfigError(`xl: failed to convert "${val}" to number`);
        nic.devid = Number(val);
        break;
      case 'backend':
        if (val !== '0' && val !== 'Domain-0') throw new XlConfigError(`backend domain '${val}' is not supported in the lab (only Dom0)`);
        nic.backend = val;
        break;
      case 'accel':
        break;
      default:
        throw new XlConfigError(`unrecognized argument \`${tok}'`);
    }
  }
  return nic;
}

function parseMac(val: string): string {
  const parts = val.split(':');
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) throw new XlConfigError("Invalid parameter `mac'.");
  const bytes = parts.map((p) => parseInt(p, 16));
  if (bytes[0] & 1) throw new XlConfigError(`Invalid parameter \`mac': ${val} is a multicast address`);
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The kernel's `ip=client:server:gw:netmask:hostname:device:autoconf` (nfsroot.txt), if static. */
export interface KernelIp {
  client: string;
  prefixLength: number;
  gateway?: string;
  device: string;
}

export function kernelIp(cmdline: string): KernelIp | undefined {
  const arg = cmdline.split(/\s+/).find((w) => w.startsWith('ip='));
  if (!arg) return undefined;
  const f = arg.slice(3).split(':');
  const [client = '', , gw = '', netmask = '', , device = '', autoconf = ''] = f;
  if (!isIpv4(client)) return undefined; // ip=dhcp, ip=off, ...: no static address (and no DHCP in the lab)
  if (autoconf !== '' && !['off', 'none'].includes(autoconf)) return undefined;
  const prefixLength = netmask === '' ? classfulPrefix(client) : maskToPrefix(netmask);
  return { client, prefixLength, gateway: isIpv4(gw) ? gw : undefined, device: device || 'eth0' };
}

export function isIpv4(s: string): boolean {
  const p = s.split('.');
  return p.length === 4 && p.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255);
}

function maskToPrefix(mask: string): number {
  if (/^\d{1,2}$/.test(mask) && Number(mask) <= 32) return Number(mask);
  if (!isIpv4(mask)) throw new XlConfigError(`ip=: bad netmask ${mask}`);
  const n = mask.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const bits = n.toString(2).padStart(32, '0');
  if (!/^1*0*$/.test(bits)) throw new XlConfigError(`ip=: bad netmask ${mask}`);
  return bits.indexOf('0') < 0 ? 32 : bits.indexOf('0');
}

function classfulPrefix(ip: string): number {
  const a = Number(ip.split('.')[0]);
  return a < 128 ? 8 : a < 192 ? 16 : 24;
}

/** A vif's `ip=` as an address for the guest: the first of a space-separated list; /24 if no length. */
export function vifGuestAddress(ip: string | undefined): { address: string; prefixLength: number } | undefined {
  const first = ip?.trim().split(/\s+/)[0];
  if (!first) return undefined;
  const [addr, len] = first.split('/');
  if (!isIpv4(addr)) return undefined;
  return { address: addr, prefixLength: len !== undefined && /^\d+$/.test(len) && Number(len) <= 32 ? Number(len) : 24 };
}
