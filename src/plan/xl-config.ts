// The xl.cfg(5) text of a VM. Values are schema-checked; every string is still quoted as xl's
// lexer reads it (libxlu: backslash escapes in both '...' and "..."), so no value can end its
// string early or start another setting.
import type { VmSpec } from '../topology/schema.js';
import type { VmNic } from './resources.js';
import { intToIp, prefixMask } from '../topology/cidr.js';

export interface GuestAddress {
  ip: string;
  prefix: number;
  gateway?: string;
}

const NEEDS_ESCAPE = /[\\"'\n\r\0]/;

/** The dotted netmask of each prefix length, 0 to 32. */
const NETMASKS = Array.from({ length: 33 }, (_, p) => intToIp(prefixMask(p)));

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

export function xlConfig(name: string, host: string, vm: VmSpec, nics: VmNic[], mtu: number[], guest?: GuestAddress): string {
  const type = vm.type ?? 'pvh';
  const lines = [
    `# VM ${name} on host ${host}: managed by tvd, do not edit (changes are undone by the next apply).`,
    `name = ${q(name)}`,
    `type = ${q(type)}`,
    `memory = ${vm.memory}`,
    `vcpus = ${vm.vcpus ?? 1}`,
  ];
  if (vm.kernel && type !== 'hvm') lines.push(`kernel = ${q(vm.kernel)}`);
  if (vm.ramdisk && type !== 'hvm') lines.push(`ramdisk = ${q(vm.ramdisk)}`);
  if (guest) {
    // The kernel's ip= (nfsroot.txt): client:server:gateway:netmask:hostname:device:autoconf
    lines.push(
      `extra = ${q(`ip=${guest.ip}::${guest.gateway ?? ''}:${NETMASKS[guest.prefix] ?? intToIp(prefixMask(guest.prefix))}::eth0:off`)}`,
    );
  }
  if (vm.disk?.length) lines.push(`disk = [ ${vm.disk.map((d) => xlString(d, "'")).join(', ')} ]`);
  const vifs = nics.map((n, i) => {
    const parts = [`mac=${n.mac}`, `bridge=${n.bridge}`];
    if (n.ip) parts.push(`ip=${n.ip}`);
    parts.push('script=vif-tvd', `vifname=${n.vifname}`, `mtu=${mtu[i]}`);
    return xlString(parts.join(','), "'");
  });
  lines.push(`vif = [ ${vifs.join(', ')} ]`, '');
  return lines.join('\n');
}
