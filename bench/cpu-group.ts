// The CPU of a command and of every process it starts, daemons included, from a cgroup of its
// own (v1 cpuacct, or v2's cpu.stat). /usr/bin/time counts only the children a process waits
// for: an OpenSSH ControlPersist master (Ansible's) detaches, so its crypto would go uncounted.
// Groups nest under the calling process's own group, so a benchmark that has entered a group
// (enterCpuGroup) before starting a lab counts the lab's hosts and every tool run inside it.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupOnInterrupt } from '../lab/interrupt.js';

const V1 = '/sys/fs/cgroup/cpuacct';
const V2 = '/sys/fs/cgroup';

interface Hierarchy {
  mount: string;
  v: 1 | 2;
}

function hierarchy(): Hierarchy | undefined {
  if (existsSync(join(V1, 'cpuacct.usage'))) return { mount: V1, v: 1 };
  if (existsSync(join(V2, 'cgroup.controllers'))) return { mount: V2, v: 2 };
  return undefined;
}

/** The folder of this process's own group (from /proc/self/cgroup), or the mount when it is not found there. */
function ownDir(h: Hierarchy): string {
  const lines = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  const line = lines.find((l) => (h.v === 1 ? (l.split(':')[1] ?? '').split(',').includes('cpuacct') : l.startsWith('0::')));
  const path = line?.split(':').slice(2).join(':');
  return path && existsSync(join(h.mount, path)) ? join(h.mount, path) : h.mount;
}

function usedMs(h: Hierarchy, dir: string): number {
  if (h.v === 1) return Number(readFileSync(join(dir, 'cpuacct.usage'), 'utf8')) / 1e6;
  const m = /^usage_usec (\d+)$/m.exec(readFileSync(join(dir, 'cpu.stat'), 'utf8'));
  return m ? Number(m[1]) / 1000 : NaN;
}

/** Kills every process left in the group but this one (by pid), and removes it. */
async function removeGroup(dir: string): Promise<void> {
  const others = () =>
    readFileSync(join(dir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => pid !== process.pid);
  for (let i = 0; i < 50 && others().length; i++) {
    for (const pid of others()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone already */
      }
    }
    await new Promise((res) => setTimeout(res, 20));
  }
  rmdirSync(dir);
}

/** A new group below this process's own, named after this process and the moment: never shared. */
function newGroup(): { h: Hierarchy; dir: string; parent: string } | undefined {
  const h = hierarchy();
  if (!h) return undefined;
  const parent = ownDir(h);
  const dir = join(parent, `tvd-bench-${process.pid}-${process.hrtime.bigint()}`);
  try {
    mkdirSync(dir);
  } catch {
    return undefined;
  }
  return { h, dir, parent };
}

export interface CpuGroup {
  /** argv that joins the group, then execs `argv` (what it starts stays in the group). */
  wrap(argv: string[]): string[];
  /** CPU used in the group so far, ms; NaN when this machine has no usable cgroup. */
  usedMs(): number;
  /** Kills what is left in the group (by pid) and removes it. */
  close(): Promise<void>;
}

/** No group: the command runs as it is, and its CPU is not counted. */
export const NO_GROUP: CpuGroup = { wrap: (argv) => argv, usedMs: () => NaN, close: async () => {} };

/** A group for one command (see wrap). */
export function cpuGroup(): CpuGroup {
  const g = newGroup();
  if (!g) return NO_GROUP;
  return {
    wrap: (argv) => ['sh', '-c', 'echo $$ >"$0/cgroup.procs" && exec "$@"', g.dir, ...argv],
    usedMs: () => usedMs(g.h, g.dir),
    // Ctrl-C removes the group too (lab/interrupt.ts).
    close: cleanupOnInterrupt(() => removeGroup(g.dir)),
  };
}

export interface OwnGroup {
  /** CPU used in the group so far (this process, and all it started since), ms; NaN without cgroups. */
  usedMs(): number;
  /** Moves this process back to the group it came from, kills what is left, removes the group. */
  leave(): Promise<void>;
}

/** Moves this process into a new group of its own: what it starts from now on is counted with it. */
export function enterCpuGroup(): OwnGroup {
  const g = newGroup();
  if (!g) return { usedMs: () => NaN, leave: async () => {} };
  writeFileSync(join(g.dir, 'cgroup.procs'), String(process.pid));
  return {
    usedMs: () => usedMs(g.h, g.dir),
    leave: cleanupOnInterrupt(async () => {
      writeFileSync(join(g.parent, 'cgroup.procs'), String(process.pid));
      await removeGroup(g.dir);
    }),
  };
}
