// Parses the observation script's output (observe-script.ts) into plain data. Pure.
import { parseManifest, type Manifest } from '../apply/manifest.js';
import { OBSERVE_FORMAT } from './observe-script.js';

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
  manifest?: Manifest;
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
      if (['id', 'local', 'remote', 'dstport', 'dev', 'key'].includes(words[i]) && params[words[i]] === undefined) params[words[i]] = words[i + 1];
    }
  }
  return { name, ...(peer ? { peer } : {}), kind, mtu, ...(master ? { master } : {}), up: flags.split(',').includes('UP'), params };
}

export function parseInventory(stdout: string): ParseResult {
  const lines = stdout.split('\n');
  if (lines[0]?.trim() !== `observe ${OBSERVE_FORMAT}`) return { ok: false, error: `the observation did not start (${JSON.stringify(lines[0]?.slice(0, 80) ?? '')})` };
  if (!lines.some((l) => l.trim() === 'end')) return { ok: false, error: 'the observation was cut off' };
  const inv: Inventory = { links: { '': [] }, fdb: {}, namespaces: [], rulesets: {}, files: {}, domains: [] };
  // After `links NS` come ip's own lines ("N: name: ..."), after `files` sha256sum's ("<hex>  path");
  // any other line ends the run.
  let section: { links: string } | 'files' | undefined;
  for (const raw of lines.slice(1)) {
    const line = raw.replace(/\r$/, '');
    if (typeof section === 'object' && /^\d+:\s/.test(line)) {
      const l = parseLinkLine(line);
      if (l) inv.links[section.links].push(l);
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
        if (w[0] && w[1]) (inv.fdb[w[0]] ??= []).push(w[1]);
        break;
      case 'netns':
        if (w[0]) {
          inv.namespaces.push(w[0]);
          inv.links[w[0]] ??= [];
        }
        break;
      case 'nft':
        if (w[0] && w[1]) inv.rulesets[w[0]] = { live: w[1], ...(w[2] && w[2] !== '-' ? { loaded: w[2] } : {}) };
        break;
      case 'files':
        section = 'files';
        break;
      case 'dom':
        if (w[0]) inv.domains.push(w[0]);
        break;
      default:
        break;
    }
  }
  const manifest = parseManifest(stdout);
  if (manifest) inv.manifest = manifest;
  for (const d of Object.keys(inv.fdb)) inv.fdb[d].sort();
  return { ok: true, inventory: inv };
}
