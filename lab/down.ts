// `tvd-lab down`: removes every process, link, namespace and file of one lab; safe to run twice.
// Order matters (design.md, "Tear down explicitly"): a namespace outlives its name while any
// process holds it, and so do its links. So: kill, then delete root-side links by name, then
// delete the namespaces, then the files.
import { closeSync, existsSync, fstatSync, openSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../src/errors/user-error.js';
import { PREFIX_PATTERN, belongsToLab } from './address-plan.js';
import { listLabNetns, nsInode, procNamespaces, requireRoot, scanProcesses } from './namespaces.js';
import { run } from './process.js';
import { readRecord, releaseSlot, removeRecord } from './registry.js';
import { xenLabDown } from './xen/down.js';

/** Files and folders `up` creates in DIR. */
const LAB_ENTRIES = ['lab.json', 'known_hosts', 'hosts.yaml', 'id_ed25519', 'id_ed25519.pub', 'bin', 'hosts'];

export async function labDown(prefix: string): Promise<{ found: boolean }> {
  requireRoot();
  if (!PREFIX_PATTERN.test(prefix)) throw new UserError(`prefix '${prefix}' must match ${PREFIX_PATTERN.source}`);
  const record = readRecord(prefix);
  if (record?.kind === 'xen' || record?.info?.kind === 'xen') return xenLabDown(prefix);
  const netns = await listLabNetns(prefix);
  await killProcessesIn(netns);

  const links = await rootLinks();
  for (const l of links.filter((n) => belongsToLab(prefix, n))) await run(['ip', 'link', 'del', l]);
  for (const n of netns) {
    const r = await run(['ip', 'netns', 'del', n]);
    if (r.code !== 0 && nsInode(`/run/netns/${n}`) !== undefined) throw new Error(`could not delete namespace ${n}: ${r.stderr.trim()}`);
  }

  if (record?.dir) removeLabFiles(record.dir, record.createdDir);
  releaseSlot(prefix, record && record.slot >= 0 ? record.slot : undefined);
  removeRecord(prefix);
  return { found: record !== undefined || netns.length > 0 };
}

/**
 * Kills every process inside these namespaces of the root namespace (a lab's hosts and core),
 * inside the VM and firewall namespaces made within those hosts, and in the hosts' mount namespaces. Loops because sshd and
 * shells may fork while we kill.
 */
export async function killProcessesIn(netnsNames: string[]): Promise<void> {
  const labNet = new Set<number>();
  for (const n of netnsNames) {
    const ino = nsInode(`/run/netns/${n}`);
    if (ino !== undefined) labNet.add(ino);
  }
  if (labNet.size === 0) return;
  const all = scanProcesses();
  const selfNs = all.find((p) => p.pid === process.pid);
  const initNs = all.find((p) => p.pid === 1);
  // Mount and network namespaces that are never the lab's, whatever a process inside the lab did.
  const foreignMnt = new Set([selfNs?.mnt, initNs?.mnt].filter((x): x is number => x !== undefined));
  const foreignNet = new Set([selfNs?.net, initNs?.net].filter((x): x is number => x !== undefined));
  const explored = new Set<number>();
  const hostMnt = new Set<number>();
  const killed = new Set<number>();
  // The kernel gives a freed namespace's inode number to the next namespace made anywhere, and
  // other labs make namespaces while this one goes down. So each namespace counted as this lab's
  // (beyond the named ones, which their bind mounts keep) is held open by an fd until the end:
  // its number cannot pass to another lab's namespace, whose processes would then be killed.
  const held: number[] = [];
  const hold = (path: string, ino: number): boolean => {
    try {
      const fd = openSync(path, 'r');
      held.push(fd);
      return fstatSync(fd).ino === ino;
    } catch {
      return false;
    }
  };
  try {
    for (let round = 0; round < 100; round++) {
      // Namespaces visible in the root's /run/netns belong to whoever named them there: a namespace
      // found inside a host counts only if it is not one of those (a copy of the root's mount
      // tree, as `ip netns exec` makes, lists them all).
      const procs = scanProcesses().filter((p) => p.pid !== process.pid);
      for (const p of procs) {
        if (!labNet.has(p.net) || foreignMnt.has(p.mnt) || explored.has(p.mnt)) continue;
        // Namespaces made inside a host (VMs, firewalls) are only visible from its mount namespace.
        // Read the root's list after the inner one: a namespace that another test names in the
        // root meanwhile then counts as the root's, never as this lab's.
        const inner = await innerNetns(p.pid);
        const rootVisible = new Set(rootNetnsInodes());
        const mine = inner.filter((n) => !rootVisible.has(n.ino) && !foreignNet.has(n.ino));
        // Held through this process: if it is gone already, another of the host's does it next round.
        if (!hold(`/proc/${p.pid}/ns/mnt`, p.mnt) || !mine.every((n) => hold(`/proc/${p.pid}/root/run/netns/${n.name}`, n.ino))) continue;
        explored.add(p.mnt);
        hostMnt.add(p.mnt);
        for (const n of mine) labNet.add(n.ino);
      }
      const victims = scanProcesses().filter((p) => p.pid !== process.pid && p.pid !== 1 && (labNet.has(p.net) || hostMnt.has(p.mnt)));
      if (victims.length === 0) return await waitUntilReaped(killed);
      for (const v of victims) {
        // Since the scan the pid may have ended and been handed to a process of another lab
        // (pid_max is often 32768): kill it only while it is still in one of this lab's namespaces.
        const now = procNamespaces(v.pid);
        if (!now || !(labNet.has(now.net) || hostMnt.has(now.mnt))) continue;
        killed.add(v.pid);
        try {
          process.kill(v.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      await new Promise((r) => setTimeout(r, round < 5 ? 20 : 100));
    }
    throw new Error('processes of the lab keep coming back; could not stop them');
  } finally {
    for (const fd of held) closeSync(fd);
  }
}

/** A killed process stays in the table as a zombie until its parent (often PID 1) reaps it. */
async function waitUntilReaped(pids: Set<number>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && [...pids].some((p) => existsSync(`/proc/${p}`))) await new Promise((r) => setTimeout(r, 20));
}

function rootNetnsInodes(): number[] {
  let names: string[] = [];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return [];
  }
  return names.map((n) => nsInode(`/run/netns/${n}`)).filter((x): x is number => x !== undefined);
}

/** The namespaces named in /run/netns as `pid`'s mount namespace sees it. */
async function innerNetns(pid: number): Promise<{ ino: number; name: string }[]> {
  const r = await run([
    'nsenter',
    '-t',
    String(pid),
    '-m',
    '--',
    '/bin/sh',
    '-c',
    'for f in /run/netns/*; do [ -e "$f" ] && echo "$(stat -L -c %i "$f") ${f##*/}"; done; true',
  ]);
  return r.stdout
    .split('\n')
    .map((l) => /^(\d+) ([^/\s]+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ ino: Number(m[1]), name: m[2] }));
}

async function rootLinks(): Promise<string[]> {
  const r = await run(['ip', '-o', 'link', 'show']);
  return r.stdout
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
    .filter((n): n is string => !!n);
}

function removeLabFiles(dir: string, createdDir: boolean): void {
  for (const e of LAB_ENTRIES) rmSync(join(dir, e), { recursive: true, force: true });
  if (!createdDir) return;
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    /* already gone */
  }
}
