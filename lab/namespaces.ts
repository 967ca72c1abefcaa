// Finding a lab's namespaces and the processes inside them, by name and by namespace inode.
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { UserError } from '../src/errors/user-error.js';
import { belongsToLab } from './address-plan.js';

export function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new UserError('tvd-lab needs root: it creates network and mount namespaces (try sudo)');
  }
}

/** The lab's network namespaces in the root namespace (`ip netns list`), by name. */
export async function listLabNetns(prefix: string): Promise<string[]> {
  let names: string[] = [];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return [];
  }
  return names.filter((n) => belongsToLab(prefix, n)).sort();
}

/** The namespace inode behind a /run/netns file or a /proc/PID/ns link, or undefined if gone. */
export function nsInode(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

export interface ProcNs {
  pid: number;
  net: number;
  mnt: number;
}

/** Every process with its network and mount namespace (processes that vanish meanwhile are skipped). */
export function scanProcesses(): ProcNs[] {
  const out: ProcNs[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ns = procNamespaces(Number(entry));
    if (ns) out.push(ns);
  }
  return out;
}

/** The network and mount namespaces `pid` is in now; undefined once it is gone. */
export function procNamespaces(pid: number): ProcNs | undefined {
  const net = linkInode(`/proc/${pid}/ns/net`);
  const mnt = linkInode(`/proc/${pid}/ns/mnt`);
  return net !== undefined && mnt !== undefined ? { pid, net, mnt } : undefined;
}

function linkInode(path: string): number | undefined {
  try {
    const m = /\[(\d+)\]/.exec(readlinkSync(path));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Is `pid` still the anchor of the host whose network namespace is `netns`? (Guards against pid reuse.) */
export function isAnchor(pid: number, netns: string): boolean {
  const want = nsInode(`/run/netns/${netns}`);
  return (
    want !== undefined && linkInode(`/proc/${pid}/ns/net`) === want && linkInode(`/proc/${pid}/ns/mnt`) !== linkInode('/proc/self/ns/mnt')
  );
}
