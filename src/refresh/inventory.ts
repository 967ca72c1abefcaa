// Parses the observation script's output (observe-script.ts) into plain data. Pure.
import { createHash } from 'node:crypto';
import { parseManifest, type Manifest } from './manifest.js';
import { FIREWALL_DIR } from '../host/paths.js';
import { OBSERVE_FORMAT } from './observe-script.js';
import { PROBE_PREFIX } from './probe-sweep.js';

export interface LiveLink {
  name: string;
  /** The `@peer` of a veth or a VLAN's lower device, when ip prints one. */
  peer?: string;
  /** bridge, vxlan, veth, gretap, ...; '' for a device without a kind (a NIC, lo). */
  kind: string;
  mtu: number;
  master?: string;
  up: boolean;
  /** Key/value pairs of the kind's line, e.g. for vxlan: id, local, remote, dstport. */
  params: Record<string, string>;
}

export interface Inventory {
  /** Links by namespace; '' is the root namespace. */
  links: Record<string, LiveLink[]>;
  /** Flood peers (all-zero FDB entries) by VXLAN device. */
  fdb: Record<string, string[]>;
  namespaces: string[];
  rulesets: Record<string, { live: string; loaded?: string }>;
  /** sha256 of each of tvd's files that exists, by path. */
  files: Record<string, string>;
  domains: string[];
  /** tvd's WireGuard interface by device: its public key and its peers' allowed ips (public keys only). */
  wireguard?: Record<string, { publicKey?: string; peers: Record<string, string[]> }>;
  manifest?: Manifest;
  /** Probes of `verify --probe` on the host (tvdp-* namespaces and root links), by name. */
  probes?: string[];
}

export type ParseResult = { ok: true; inventory: Inventory } | { ok: false; error: string };

/** One line of `ip -d -o link show`. Undefined when it is not one. */
export function parseLinkLine(line: string): LiveLink | undefined {
  const parts = line.split(/\\\s+/);
  const head = /^\d+:\s+([^:@\s]+)(?:@([^:\s]+))?:\s+<([^>]*)>\s+(.*)$/.exec(parts[0].trim());
  if (!head) return undefined;
  const [, name, peer, flags, rest] = head;
  const mtu = Number(/\bmtu (\d+)/.exec(rest)?.[1] ?? NaN);
  const master = /\bmaster (\S+)/.exec(rest)?.[1];
  // parts[1] is `link/ether ...`; the kind's line, when there is one, comes next.
  const kindLine = (parts[2] ?? '').trim();
  const first = kindLine.split(/\s+/)[0] ?? '';
  const kind = /^[a-z][a-z0-9_]*$/.test(first) && !['bridge_slave', 'addrgenmode'].includes(first) ? first : '';
  const params: Record<string, string> = {};
  if (kind) {
    const words = kindLine.split(/\s+/).slice(1);
    for (let i = 0; i + 1 < words.length; i += 1) {
      if (['id', 'local', 'remote', 'dstport', 'dev', 'key'].includes(words[i]) && params[words[i]] === undefined)
        params[words[i]] = words[i + 1];
    }
  }
  return { name, ...(peer ? { peer } : {}), kind, mtu, ...(master ? { master } : {}), up: flags.split(',').includes('UP'), params };
}

// bridge's own lines: `<mac> dev <port> ...`; a flood peer is an all-zero MAC with a `dst`.
const FLOOD = /^00:00:00:00:00:00\s+dev\s+(\S+)\s+dst\s+(\S+)/;
const FDB_LINE = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}\s/;

/** sha256 of a listing as `sha256sum` would hash the tool's stdout: every line ends in a newline. */
function digestOfLines(lines: string[]): string {
  const h = createHash('sha256');
  for (const l of lines) h.update(l + '\n');
  return h.digest('hex');
}

export function parseInventory(stdout: string): ParseResult {
  const lines = stdout.split('\n');
  if (lines[0]?.trim() !== `observe ${OBSERVE_FORMAT}`)
    return { ok: false, error: `the observation did not start (${JSON.stringify(lines[0]?.slice(0, 80) ?? '')})` };
  if (!lines.some((l) => l.trim() === 'end')) return { ok: false, error: 'the observation was cut off' };
  const inv: Inventory = { links: { '': [] }, fdb: {}, namespaces: [], rulesets: {}, files: {}, domains: [], wireguard: {} };
  const live: Record<string, string> = {};
  // A header line is followed by its tool's own lines: ip's ("N: name: ..."), bridge's ("<mac> dev
  // ..."), sha256sum's ("<hex>  path") until a line that is not one; nft's and xl's verbatim up to
  // their end line.
  type Section = { links: string } | { ruleset: string; lines: string[] } | { xl: string[] } | 'fdb' | 'files' | undefined;
  let section: Section;
  for (const raw of lines.slice(1)) {
    if (typeof section === 'object' && 'ruleset' in section) {
      if (raw === 'ruleset-end') {
        live[section.ruleset] = digestOfLines(section.lines);
        section = undefined;
      } else section.lines.push(raw);
      continue;
    }
    const line = raw.replace(/\r$/, '');
    if (typeof section === 'object' && 'xl' in section) {
      if (line === 'xl-end') {
        // The first line is xl's heading; a domain's name is the first word of its line.
        for (const row of section.xl.slice(1)) {
          const name = row.split(/\s+/)[0];
          if (name && name !== 'Domain-0') inv.domains.push(name);
        }
        section = undefined;
      } else section.xl.push(line);
      continue;
    }
    if (typeof section === 'object' && 'links' in section && /^\d+:\s/.test(line)) {
      const l = parseLinkLine(line);
      if (l) inv.links[section.links].push(l);
      continue;
    }
    if (section === 'fdb' && FDB_LINE.test(line)) {
      const flood = FLOOD.exec(line);
      if (flood) (inv.fdb[flood[1]] ??= []).push(flood[2]);
      continue;
    }
    const sum = section === 'files' ? /^([0-9a-f]{64}) [ *](.+)$/.exec(line) : null;
    if (sum) {
      inv.files[sum[2]] = sum[1];
      continue;
    }
    section = undefined;
    const sp = line.indexOf(' ');
    const kind = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1);
    const w = rest.split(/\s+/);
    switch (kind) {
      case 'links': {
        const ns = w[0] === '-' ? '' : w[0];
        inv.links[ns] ??= [];
        section = { links: ns };
        break;
      }
      case 'fdb':
        section = 'fdb';
        break;
      case 'netns':
        if (w[0]) {
          inv.namespaces.push(w[0]);
          inv.links[w[0]] ??= [];
        }
        break;
      case 'ruleset':
        if (w[0]) section = { ruleset: w[0], lines: [] };
        break;
      case 'files':
        section = 'files';
        break;
      case 'probe-netns':
        if (w[0]) (inv.probes ??= []).push(w[0]);
        break;
      case 'xl':
        section = { xl: [] };
        break;
      case 'wgpub':
        if (w[0] && w[1]) ((inv.wireguard ??= {})[w[0]] ??= { peers: {} }).publicKey = w[1];
        break;
      case 'wgpeer':
        if (w[0] && w[1])
          ((inv.wireguard ??= {})[w[0]] ??= { peers: {} }).peers[w[1]] = w
            .slice(2)
            .filter((x) => x && x !== '(none)')
            .sort();
        break;
      default:
        break;
    }
  }
  if (typeof section === 'object' && ('ruleset' in section || 'xl' in section)) return { ok: false, error: 'the observation was cut off' };
  // The snapshot of a firewall's last load is one of the files: it belongs to its ruleset.
  for (const [ns, digest] of Object.entries(live)) {
    const snapshot = `${FIREWALL_DIR}/${ns}.nft.loaded`;
    const loaded = inv.files[snapshot];
    delete inv.files[snapshot];
    inv.rulesets[ns] = { live: digest, ...(loaded ? { loaded } : {}) };
  }
  for (const l of inv.links['']) if (l.name.startsWith(PROBE_PREFIX)) (inv.probes ??= []).push(l.name);
  if (inv.probes) inv.probes = [...new Set(inv.probes)].sort();
  const manifest = parseManifest(stdout);
  if (manifest) inv.manifest = manifest;
  for (const d of Object.keys(inv.fdb)) inv.fdb[d].sort();
  return { ok: true, inventory: inv };
}
