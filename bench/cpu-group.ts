// The CPU of a command and of every process it starts, daemons included, from a cgroup of its
// own (v1 cpuacct, or v2's cpu.stat). /usr/bin/time counts only the children a process waits
// for: an OpenSSH ControlPersist master (Ansible's) detaches, so its crypto would go uncounted.
// The lab's hosts (their sshd and scripts) are outside the group, so this is the tool's own side.
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

const V1 = '/sys/fs/cgroup/cpuacct';
const V2 = '/sys/fs/cgroup';

function root(): { dir: string; v: 1 | 2 } | undefined {
  if (existsSync(join(V1, 'cpuacct.usage'))) return { dir: V1, v: 1 };
  if (existsSync(join(V2, 'cgroup.controllers'))) return { dir: V2, v: 2 };
  return undefined;
}

export interface CpuGroup {
  /** argv that joins the group, then execs `argv` (what it starts stays in the group). */
  wrap(argv: string[]): string[];
  /** CPU used in the group so far, ms; NaN when this machine has no usable cgroup. */
  usedMs(): number;
  /** Kills what is left in the group (by pid) and removes it. */
  close(): Promise<void>;
}

const NONE: CpuGroup = { wrap: (argv) => argv, usedMs: () => NaN, close: async () => {} };

/** A new group, named after this process and the moment: never shared between runs. */
export function cpuGroup(): CpuGroup {
  const r = root();
  if (!r) return NONE;
  const dir = join(r.dir, `tvd-bench-${process.pid}-${process.hrtime.bigint()}`);
  try {
    mkdirSync(dir);
  } catch {
    return NONE;
  }
  const procs = () => readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  return {
    wrap: (argv) => ['sh', '-c', 'echo $$ >"$0/cgroup.procs" && exec "$@"', dir, ...argv],
    usedMs: () => {
      if (r.v === 1) return Number(readFileSync(join(dir, 'cpuacct.usage'), 'utf8')) / 1e6;
      const m = /^usage_usec (\d+)$/m.exec(readFileSync(join(dir, 'cpu.stat'), 'utf8'));
      return m ? Number(m[1]) / 1000 : NaN;
    },
    close: async () => {
      for (let i = 0; i < 50 && procs().length; i++) {
        for (const pid of procs()) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone already */
          }
        }
        await new Promise((res) => setTimeout(res, 20));
      }
      rmdirSync(dir);
    },
  };
}
