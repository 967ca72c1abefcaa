// The xl.cfg(5) text of a VM. Values are schema-checked; they are still quoted as xl expects.
import type { VmSpec } from '../topology/schema.js';
import type { VmNic } from './resources.js';
import { intToIp, prefixMask } from '../topology/cidr.js';

export interface GuestAddress {
  ip: string;
  prefix: number;
  gateway?: string;
}

function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

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
    lines.push(`extra = ${q(`ip=${guest.ip}::${guest.gateway ?? ''}:${intToIp(prefixMask(guest.prefix))}::eth0:off`)}`);
  }
  if (vm.disk?.length) lines.push(`disk = [ ${vm.disk.map((d) => `'${d}'`).join(', ')} ]`);
  const vifs = nics.map((n, i) => {
    const parts = [`mac=${n.mac}`, `bridge=${n.bridge}`];
    if (n.ip) parts.push(`ip=${n.ip}`);
    parts.push('script=vif-tvd', `vifname=${n.vifname}`, `mtu=${mtu[i]}`);
    return `'${parts.join(',')}'`;
  });
  lines.push(`vif = [ ${vifs.join(', ')} ]`, '');
  return lines.join('\n');
}
