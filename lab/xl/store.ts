// The host's toolstack state: domains under /run/xl (one JSON file per domid, a domid counter,
// a lock), and the file-backed xenstore under /run/xenstore that the sh xenstore-* tools share.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { VifSpec } from './domain-config.js';

const XL_RUN = process.env.XL_LAB_RUN ?? '/run/xl';
const XENSTORE = process.env.XENSTORE_LAB_ROOT ?? '/run/xenstore';
const DOMAINS = join(XL_RUN, 'domains');

export interface VifState extends VifSpec {
  ifname: string; // the backend in Dom0: vifD.N or vifname
  mac: string;
  scriptPath: string;
}

export interface DomainState {
  domid: number;
  name: string;
  type: string;
  memory: number;
  maxmem: number;
  vcpus: number;
  netns: string;
  created: number;
  paused: boolean;
  cmdline: string;
  configFile?: string;
  vifs: VifState[];
}

export function listDomains(): DomainState[] {
  let files: string[] = [];
  try {
    files = readdirSync(DOMAINS);
  } catch {
    return [];
  }
  const out: DomainState[] = [];
  for (const f of files) {
    if (!/^\d+\.json$/.test(f)) continue;
    try {
      out.push(JSON.parse(readFileSync(join(DOMAINS, f), 'utf8')) as DomainState);
    } catch {
      /* vanished */
    }
  }
  return out.sort((a, b) => a.domid - b.domid);
}

/** A domain by name or domid, as xl's find_domain does. */
export function findDomain(ref: string): DomainState | undefined {
  const all = listDomains();
  return /^\d+$/.test(ref) ? all.find((d) => d.domid === Number(ref)) : all.find((d) => d.name === ref);
}

export function saveDomain(d: DomainState): void {
  mkdirSync(DOMAINS, { recursive: true });
  const f = join(DOMAINS, `${d.domid}.json`);
  writeFileSync(f + '.tmp', JSON.stringify(d, null, 2) + '\n');
  renameSync(f + '.tmp', f);
}

export function removeDomain(domid: number): void {
  rmSync(join(DOMAINS, `${domid}.json`), { force: true });
}

/** Domain ids only grow, as Xen hands them out; Dom0 is 0. */
export function nextDomid(): number {
  mkdirSync(XL_RUN, { recursive: true });
  const f = join(XL_RUN, 'next-domid');
  const n = existsSync(f) ? Number(readFileSync(f, 'utf8').trim()) || 1 : 1;
  writeFileSync(f, String(n + 1));
  return n;
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Serialises changes (create, destroy, attach, detach) between xl processes on one host. */
export function withLock<T>(fn: () => T): T {
  mkdirSync(XL_RUN, { recursive: true });
  const lock = join(XL_RUN, 'lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        /* being written */
      }
      if (Number.isInteger(holder) && !alive(holder)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for the xl lock (${lock}, held by ${holder})`);
      else sleepMs(20);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// --- xenstore (same layout as lab/host-bin/xenstore: a node is a folder, its value `.value`) ---

function xsDir(path: string): string {
  const abs = path.startsWith('/') ? path : `/local/domain/0/${path}`;
  if (!/^[A-Za-z0-9/_@.-]+$/.test(abs) || abs.split('/').some((c) => c === '.' || c === '..' || c === '.value'))
    throw new Error(`invalid xenstore path ${path}`);
  return XENSTORE + abs.replace(/\/$/, '');
}

export function xsWrite(entries: Record<string, string>): void {
  for (const [path, value] of Object.entries(entries)) {
    const dir = xsDir(path);
    mkdirSync(dir, { recursive: true });
    let a = XENSTORE;
    for (const c of dir.slice(XENSTORE.length).split('/').filter(Boolean)) {
      a = join(a, c);
      if (!existsSync(join(a, '.value'))) writeFileSync(join(a, '.value'), '');
    }
    writeFileSync(join(dir, '.value'), value);
  }
}

export function xsRead(path: string): string | undefined {
  try {
    return readFileSync(join(xsDir(path), '.value'), 'utf8');
  } catch {
    return undefined;
  }
}

export function xsRm(path: string): void {
  rmSync(xsDir(path), { recursive: true, force: true });
}
