// IPv4 arithmetic for subnets, gateways and NIC addresses. Inputs are already schema-checked.

export interface Cidr {
  /** Network address as an unsigned 32-bit integer. */
  base: number;
  prefix: number;
}

export function ipToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  return ((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3];
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The subnet as written; `base` keeps any host bits, so callers can tell `isNetworkAddress`. */
export function parseCidr(cidr: string): Cidr {
  const [ip, len] = cidr.split('/');
  return { base: ipToInt(ip), prefix: Number(len) };
}

export function isNetworkAddress(c: Cidr): boolean {
  return (c.base & ~maskOf(c.prefix)) >>> 0 === 0;
}

export function networkOf(c: Cidr): number {
  return (c.base & maskOf(c.prefix)) >>> 0;
}

export function broadcastOf(c: Cidr): number {
  return (networkOf(c) | ~maskOf(c.prefix)) >>> 0;
}

export function ipInSubnet(ip: string, c: Cidr): boolean {
  return (ipToInt(ip) & maskOf(c.prefix)) >>> 0 === networkOf(c);
}

export function subnetsOverlap(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return (a.base & maskOf(p)) >>> 0 === (b.base & maskOf(p)) >>> 0;
}

/** The first usable host address: the default gateway of a TVD. */
export function firstHost(c: Cidr): string {
  return intToIp(c.prefix >= 31 ? networkOf(c) : networkOf(c) + 1);
}

export function netmaskOf(prefix: number): string {
  return intToIp(maskOf(prefix));
}
