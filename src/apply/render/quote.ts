// The two defences between topology data and a Dom0 shell: strict patterns for every value
// (assertSafe), then single quotes around it (shQuote). The checks run even though the schema
// and the planner already validated the values, so a bug upstream cannot become a shell command.
// The quoting itself is src/shell/quote.ts's; it is re-exported here for the render files.
import { sh, shBare, shComment, shGlob, shJoin, shQuote, shRaw, shTrimEnd, shTrusted, type Sh } from '../../shell/quote.js';

export { sh, shBare, shComment, shGlob, shJoin, shQuote, shRaw, shTrimEnd, shTrusted, type Sh };

export type SafeKind = 'name' | 'resname' | 'ifname' | 'ipv4' | 'cidr' | 'mac' | 'path' | 'int';

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = `${OCTET}(\\.${OCTET}){3}`;

const PATTERNS: Record<SafeKind, RegExp> = {
  /** A topology name (TVD, host, VM): also a Xen domain name. */
  name: /^[a-z][a-z0-9-]{0,31}$/,
  /** A resource name: a topology name, or two joined (`web--db`); it names a folder on the host. */
  resname: /^[a-z][a-z0-9-]{0,79}$/,
  /** A Linux interface name: at most 15 characters, none that a shell, nft or xl reads specially. */
  ifname: /^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/,
  ipv4: new RegExp(`^${IPV4}$`),
  cidr: new RegExp(`^${IPV4}/(3[0-2]|[12]?[0-9])$`),
  /** Lower case, as the planner writes MACs and as the vif hook compares them. */
  mac: /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/,
  /** Absolute, no `..` segment, no spaces, quotes, commas or `=` (xl.cfg and nft contexts). */
  path: /^\/(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._+/-]{0,254}$/,
  int: /^(0|[1-9][0-9]{0,9})$/,
};

/** Throws unless `value` fits `kind` exactly. Returns the value as a string, for inline use. */
export function assertSafe(kind: SafeKind, value: unknown): string {
  const s = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof s !== 'string' || !PATTERNS[kind].test(s)) {
    throw new Error(`refusing to render unsafe ${kind}: ${JSON.stringify(value)}`);
  }
  return s;
}

/** A checked value, quoted: the form every topology value takes in a rendered script. */
export function q(kind: SafeKind, value: unknown): Sh {
  return shQuote(assertSafe(kind, value));
}

/**
 * A checked value that the shell reads as it is (a number, an interface name, an address):
 * checked, then put in bare, as the scripts always wrote it. Refused if it would need quoting.
 */
export function bare(kind: SafeKind, value: unknown): Sh {
  return shBare(assertSafe(kind, value));
}
