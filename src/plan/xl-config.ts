// The xl.cfg(5) text of a VM, from its attributes. Values are schema-checked; every string is still
// quoted as xl's lexer reads it (libxlu: backslash escapes in both '...' and "..."), so no value can
// end its string early or start another setting, and a number that is no integer is refused.
import type { Address } from '../address/address.js';
import type { VmSpec } from '../topology/schema.js';
import type { LegacyVmAttrs, VmAttrs, VmDomain } from './resources.js';
import { intToIp, prefixMask } from '../topology/cidr.js';

export interface GuestAddress {
  ip: string;
  prefix: number;
  gateway?: string;
}

const NEEDS_ESCAPE = /[\\"'\n\r\0]/;

/** The dotted netmask of each prefix length, 0 to 32. */
const NETMASKS = Array.from({ length: 33 }, (_, p) => intToIp(prefixMask(p)));

const GUEST_TYPES: readonly string[] = ['pv', 'pvh', 'hvm'];

/** An xl.cfg string in `quote`: a backslash, the quote and a line break are escaped. */
export function xlString(s: string, quote: '"' | "'" = '"'): string {
  // Most values hold nothing to escape: one test, not four replaces (a plan writes 40,000 strings per 1,000 hosts).
  if (!NEEDS_ESCAPE.test(s)) return `${quote}${s}${quote}`;
  if (s.includes('\0')) throw new Error('refusing to write a NUL byte into an xl.cfg string');
  const escaped = s
    .replace(/\\/g, '\\\\')
    .replace(quote === '"' ? /"/g : /'/g, `\\${quote}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
  return `${quote}${escaped}${quote}`;
}
const q = (s: string) => xlString(s);

function int(what: string, v: unknown): number {
  if (!Number.isSafeInteger(v)) throw new Error(`refusing to write ${what} ${JSON.stringify(v)} into an xl.cfg: not an integer`);
  return v as number;
}

/** What the xl.cfg of a VM of the topology says besides its vifs. */
export function vmDomain(vm: VmSpec, guest?: GuestAddress): VmDomain {
  const type = vm.type ?? 'pvh';
  const d: VmDomain = { type, memory: vm.memory, vcpus: vm.vcpus ?? 1 };
  if (vm.kernel && type !== 'hvm') d.kernel = vm.kernel;
  if (vm.ramdisk && type !== 'hvm') d.ramdisk = vm.ramdisk;
  // The kernel's ip= (nfsroot.txt): client:server:gateway:netmask:hostname:device:autoconf
  if (guest) d.extra = `ip=${guest.ip}::${guest.gateway ?? ''}:${NETMASKS[guest.prefix] ?? intToIp(prefixMask(guest.prefix))}::eth0:off`;
  if (vm.disk?.length) d.disk = vm.disk;
  return d;
}

export function xlConfig(name: string, host: string, attrs: Pick<VmAttrs, 'domain' | 'nics'>): string {
  const d = attrs.domain;
  if (typeof d !== 'object' || d === null) throw new Error(`refusing to write the xl.cfg of ${name}: it has no domain settings`);
  if (!GUEST_TYPES.includes(d.type)) throw new Error(`refusing to write guest type ${JSON.stringify(d.type)} into an xl.cfg`);
  const lines = [
    `# VM ${name} on host ${host}: managed by tvd, do not edit (changes are undone by the next apply).`,
    `name = ${q(name)}`,
    `type = ${q(d.type)}`,
    `memory = ${int('memory', d.memory)}`,
    `vcpus = ${int('vcpus', d.vcpus)}`,
  ];
  if (d.kernel !== undefined) lines.push(`kernel = ${q(d.kernel)}`);
  if (d.ramdisk !== undefined) lines.push(`ramdisk = ${q(d.ramdisk)}`);
  if (d.extra !== undefined) lines.push(`extra = ${q(d.extra)}`);
  if (d.disk?.length) lines.push(`disk = [ ${d.disk.map((x) => xlString(x, "'")).join(', ')} ]`);
  const vifs = attrs.nics.map((n) => {
    const parts = [`mac=${n.mac}`, `bridge=${n.bridge}`];
    if (n.ip) parts.push(`ip=${n.ip}`);
    parts.push('script=vif-tvd', `vifname=${n.vifname}`, `mtu=${int('mtu', n.mtu)}`);
    return xlString(parts.join(','), "'");
  });
  lines.push(`vif = [ ${vifs.join(', ')} ]`, '');
  return lines.join('\n');
}

/** A vm record from before structured attributes, which holds its xl.cfg as text. */
export function isLegacyVm(attrs: unknown): attrs is LegacyVmAttrs {
  return typeof attrs === 'object' && attrs !== null && typeof (attrs as { config?: unknown }).config === 'string' && !('domain' in attrs);
}

/** The xl.cfg text a vm's attributes (as recorded, of either form) put on its host. */
export function vmConfigText(address: Address, attrs: VmAttrs | LegacyVmAttrs): string {
  return isLegacyVm(attrs) ? attrs.config : xlConfig(address.name, address.host, attrs);
}
