// MACs derived stably from names, in Xen's OUI 00:16:3e, when the topology gives none.
import { createHash } from 'node:crypto';

export function derivedMac(vm: string, tvd: string): string {
  const h = createHash('sha256').update(`${vm}\u0000${tvd}`).digest();
  // Clear the top bit of the first byte we choose so derived MACs stay out of 00:16:3e:80-ff,
  // a range people often assign by hand.
  const bytes = [0x00, 0x16, 0x3e, h[0] & 0x7f, h[1], h[2]];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** A locally administered MAC for an address tvd owns: stable, and unique as the address is. */
export function macForAddress(ip: string): string {
  const octets = ip.split('/')[0].split('.').map((o) => Number(o).toString(16).padStart(2, '0'));
  return ['02', '74', ...octets].join(':');
}
