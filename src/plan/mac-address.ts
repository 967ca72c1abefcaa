// MACs as tvd derives them. A VM's NIC without a MAC gets one in Xen's OUI 00:16:3e (see
// mac-assignment.ts); tvd's own interfaces get locally administered ones from their addresses.
import type { IdSpace } from './ids.js';
import { sha256 } from './name-hash.js';

const XEN_OUI = 0x00163e_000000;

/**
 * The MACs a NIC may be given, as 48-bit numbers: 00:16:3e:00:00:00 to 00:16:3e:7f:ff:ff. The
 * top bit of the fourth octet stays clear, keeping derived MACs out of 00:16:3e:80-ff, a range
 * people often assign by hand.
 */
export const DERIVED_MACS: IdSpace = { min: XEN_OUI, max: XEN_OUI + 0x7f_ffff };

/** Where a NIC's search for a free MAC starts: a hash of the VM's and the TVD's names. */
export function derivedStart(vm: string, tvd: string): number {
  const h = sha256(`${vm}\u0000${tvd}`);
  return XEN_OUI + (((h[0] & 0x7f) << 16) | (h[1] << 8) | h[2]);
}

/** A MAC (six hex pairs, either case) as a 48-bit number. */
export function macToNumber(mac: string): number {
  // Digit by digit: a regex replace and parseInt per MAC was 1-4 µs, and a plan reads every
  // NIC's MAC from the state (100,000 at 10,000 hosts). Anything but aa:bb:cc:dd:ee:ff takes the old way.
  if (mac.length === 17) {
    let n = 0;
    for (let i = 0; i < 17; i++) {
      const c = mac.charCodeAt(i);
      if (i % 3 === 2) {
        if (c !== 58) return parseInt(mac.replace(/:/g, ''), 16);
        continue;
      }
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (d < 0) return parseInt(mac.replace(/:/g, ''), 16);
      n = n * 16 + d;
    }
    return n;
  }
  return parseInt(mac.replace(/:/g, ''), 16);
}

export function numberToMac(n: number): string {
  const h = n.toString(16).padStart(12, '0');
  return `${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}:${h.slice(8, 10)}:${h.slice(10)}`;
}

/** A locally administered MAC for an address tvd owns: stable, and unique as the address is. */
export function macForAddress(ip: string): string {
  const octets = ip
    .split('/')[0]
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'));
  return ['02', '74', ...octets].join(':');
}
