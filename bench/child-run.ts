// Runs a command as a child under /usr/bin/time -v: wall time by our clock, peak RSS by time's,
// and with `cpuGroup` the CPU of everything it started, by a cgroup of its own (bench/cpu-group.ts).
// Joining the group costs the child a sh and a move between groups before it starts (a few ms,
// at times ~10 ms while the kernel waits for RCU), so only the runs that report that CPU pay it.
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { cpuGroup, NO_GROUP } from './cpu-group.js';

export interface ChildRun {
  code: number;
  ms: number;
  maxRssBytes: number;
  /** User + system CPU time of the child (from time -v), ms: less moved by other load than wall time. */
  cpuMs: number;
  /** With `cpuGroup`: user + system CPU of the child and everything it started, detached daemons too, ms (else NaN). */
  groupCpuMs: number;
  stderr: string;
}

/** stdout goes to /dev/null (or `stdoutFile`), as `> /dev/null` would. */
export function timedChild(argv: string[], opts: { stdoutFile?: string; cwd?: string; cpuGroup?: boolean } = {}): Promise<ChildRun> {
  const group = opts.cpuGroup ? cpuGroup() : NO_GROUP;
  return new Promise<ChildRun>((resolve, reject) => {
    const out = openSync(opts.stdoutFile ?? '/dev/null', 'w');
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-v', ...group.wrap(argv)], {
      stdio: ['ignore', out, 'pipe'],
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      closeSync(out);
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      const cpuMs = user && sys ? (Number(user[1]) + Number(sys[1])) * 1000 : NaN;
      resolve({ code: code ?? 1, ms, maxRssBytes: rss ? Number(rss[1]) * 1024 : NaN, cpuMs, groupCpuMs: group.usedMs(), stderr });
    });
  }).finally(() => group.close());
}
