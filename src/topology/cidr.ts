// IPv4 addresses and subnets as numbers: the one place that does address arithmetic.
// Pure and total: parse functions return undefined for anything that is not a valid address,
// so callers never see an exception for user input.

export interface Cidr {
  /** The address as written, as an unsigned 32-bit number (host bits may be set). */
  address: number;
  /** Prefix length, 0..32. */
  prefix: number;
  /** The network address (host bits cleared). */
  network: number;
  /** The broadcast address (host bits set). */
  broadcast: number;
}

/**
 * '198.19.1.10' -> 3323134218; undefined unless four decimal octets without leading zeros.
 * Read character by character: a split and four regex tests per address were a visible share of
 * planning 100,000 NICs (bench/plan-scale.ts); test/topology/ip-to-int.test.ts holds it to them.
 */
export function ipToInt(ip: string): number | undefined {
  let n = 0;
  let octets = 0;
  let i = 0;
  while (octets < 4) {
    if (octets > 0) {
      if (ip.charCodeAt(i) !== 46) return undefined; // '.'
      i++;
    }
    const start = i;
    let v = 0;
    while (i < ip.length && i - start < 4) {
      const c = ip.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      i++;
    }
    const len = i - start;
    if (len === 0 || len > 3 || v > 255 || (len > 1 && ip.charCodeAt(start) === 48)) return undefined;
    n = n * 256 + v;
    octets++;
  }
  return i === ip.length ? n : undefined;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The netmask of a prefix length, as an unsigned number (/0 -> 0). */
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** '198.19.1.0/24' -> its parts; undefined unless `a.b.c.d/n` with n in 0..32. */
export function parseCidr(cidr: string): Cidr | undefined {
  const slash = cidr.indexOf('/');
  if (slash < 0) return undefined;
  const address = ipToInt(cidr.slice(0, slash));
  const p = cidr.slice(slash + 1);
  if (address === undefined || !/^(3[0-2]|[12]?[0-9])$/.test(p)) return undefined;
  const prefix = Number(p);
  const mask = prefixMask(prefix);
  const network = (address & mask) >>> 0;
  return { address, prefix, network, broadcast: (network | ~mask) >>> 0 };
}

/** The subnet written canonically: '198.19.1.7/24' -> '198.19.1.0/24'. */
export function formatCidr(c: Pick<Cidr, 'network' | 'prefix'>): string {
  return `${intToIp(c.network)}/${c.prefix}`;
}

/** True when the address as written is the network address (no host bits set). */
export function isNetworkAddress(c: Cidr): boolean {
  return c.address === c.network;
}

export function ipInSubnet(ip: string | number, subnet: Cidr | string): boolean {
  const n = typeof ip === 'number' ? ip : ipToInt(ip);
  const c = typeof subnet === 'string' ? parseCidr(subnet) : subnet;
  if (n === undefined || c === undefined) return false;
  return n >= c.network && n <= c.broadcast;
}

export function subnetsOverlap(a: Cidr | string, b: Cidr | string): boolean {
  const x = typeof a === 'string' ? parseCidr(a) : a;
  const y = typeof b === 'string' ? parseCidr(b) : b;
  if (x === undefined || y === undefined) return false;
  return x.network <= y.broadcast && y.network <= x.broadcast;
}

/** The first usable host address (network + 1): the default TVD gateway. Undefined for /31 and /32. */
export function firstHost(c: Cidr): number | undefined {
  return c.prefix <= 30 ? c.network + 1 : undefined;
}

/** The last usable host address (broadcast - 1). Undefined for /31 and /32. */
export function lastHost(c: Cidr): number | undefined {
  return c.prefix <= 30 ? c.broadcast - 1 : undefined;
}

/** How many host addresses (without network and broadcast) the subnet holds. */
export function hostCount(c: Cidr): number {
  return c.prefix <= 30 ? c.broadcast - c.network - 1 : 0;
}
