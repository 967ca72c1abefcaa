// The lab for tests, the demo and benchmarks: bring one up, use it, and always tear it down.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labDown } from './down.js';
import { labExec } from './exec.js';
import { labUp, type UpOptions } from './up.js';
import { labReboot } from './reboot.js';
import { cleanupOnInterrupt } from './interrupt.js';
import { UserError } from '../src/errors/user-error.js';
import { xenLabUp, type XenUpOptions } from './xen/up.js';
import type { XenLabInfo } from './lab-info.js';

export type { LabHost, LabInfo, XenLabInfo, AnyLabInfo } from './lab-info.js';
export type { ExecTarget } from './exec.js';
export type { UpOptions } from './up.js';
export type { BootReport } from './reboot.js';
export { labUp, labDown, labExec, labReboot };

/** Is this process able to build a lab (root)? Tests skip with a clear message otherwise. */
export function canRunLab(): boolean {
  return typeof process.getuid !== 'function' || process.getuid() === 0;
}
export const LAB_SKIP_REASON = 'the lab needs root (network and mount namespaces); run the tests as root';

/**
 * Brings a lab up, runs fn with it, and tears it down in a finally, even when fn throws, and
 * on Ctrl-C or a kill (SIGINT, SIGTERM, SIGHUP: then the process exits 128 + the signal).
 * `out` defaults to a fresh temporary folder (removed afterwards).
 */
export async function withLab<T>(
  opts: Omit<UpOptions, 'out'> & { out?: string },
  fn: (lab: import('./lab-info.js').LabInfo) => Promise<T>,
): Promise<T> {
  return withAnyLab(opts.prefix, opts.out, (out) => labUp({ ...opts, out }), fn);
}

/**
 * withLab for a real-Xen lab (lab/xen): QEMU hosts, minutes to come up. The emulator is treated
 * as flaky hardware: a bring-up that fails (it has taken down what it made) is tried once more.
 * Only the boot is retried, never what fn does with the lab.
 */
export async function withXenLab<T>(
  opts: Omit<XenUpOptions, 'out'> & { out?: string; attempts?: number },
  fn: (lab: XenLabInfo) => Promise<T>,
): Promise<T> {
  const attempts = opts.attempts ?? 2;
  const up = async (out: string): Promise<XenLabInfo> => {
    for (let i = 1; ; i++) {
      try {
        return await xenLabUp({ ...opts, out });
      } catch (err) {
        if (i >= attempts || err instanceof UserError) throw err;
        opts.log?.(`the lab did not come up (${(err as Error).message.split('\n')[0]}); trying again`);
      }
    }
  };
  return withAnyLab(opts.prefix, opts.out, up, fn);
}

async function withAnyLab<L, T>(
  prefix: string | undefined,
  given: string | undefined,
  up: (out: string) => Promise<L>,
  fn: (lab: L) => Promise<T>,
): Promise<T> {
  const opts = { prefix, out: given };
  const tmp = opts.out === undefined ? mkdtempSync(join(tmpdir(), `tvd-lab-${opts.prefix ?? 'lab'}-`)) : undefined;
  const out = opts.out ?? join(tmp!, 'lab');
  const removeTmp = cleanupOnInterrupt(async () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  // A labUp that fails or is interrupted has taken down what it made itself; and when it fails,
  // the prefix may be another caller's lab. So the lab is this call's to take down once it is up.
  let tearDown: (() => Promise<void>) | undefined;
  try {
    const lab = await up(out);
    tearDown = cleanupOnInterrupt(async () => {
      await labDown(opts.prefix ?? 'lab');
    });
    return await fn(lab);
  } finally {
    await tearDown?.();
    await removeTmp();
  }
}

/** Shorthand for running in a host's Dom0 or a VM. */
export function hostExec(prefix: string, host: string, argv: string[]) {
  return labExec(prefix, { host }, argv);
}
export function vmExec(prefix: string, vm: string, argv: string[]) {
  return labExec(prefix, { vm }, argv);
}
