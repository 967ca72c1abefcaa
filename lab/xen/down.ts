// `tvd-lab down` of a real-Xen lab: its QEMUs and its fabric daemon, each by the pid it wrote
// and only while that pid is still the process the lab started (its command line names the
// lab), then its files. Safe to run twice, and on a lab whose `up` died half way.
import { existsSync, readFileSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { readRecord, releaseSlot, removeRecord } from '../registry.js';
import { qemuPid } from './qemu-pid.js';

/** Files and folders a real-Xen `up` creates in DIR. */
const XEN_LAB_ENTRIES = [
  'lab.json',
  'known_hosts',
  'hosts.yaml',
  'id_ed25519',
  'id_ed25519.pub',
  'hosts',
  'fabric.json',
  'fabric.log',
  'fabric.pid',
];

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

async function stop(pid: number | undefined, mark: string): Promise<void> {
  if (pid === undefined || !cmdline(pid).includes(mark)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100 && existsSync(`/proc/${pid}`) && cmdline(pid).includes(mark); i++) await new Promise((r) => setTimeout(r, 50));
  if (existsSync(`/proc/${pid}`) && cmdline(pid).includes(mark)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

function readPid(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

export async function xenLabDown(prefix: string): Promise<{ found: boolean }> {
  const record = readRecord(prefix);
  if (!record) return { found: false };
  const dir = record.dir;
  const hostsDir = join(dir, 'hosts');
  let hostDirs: string[] = [];
  try {
    hostDirs = readdirSync(hostsDir).map((h) => join(hostsDir, h));
  } catch {
    /* none made */
  }
  await Promise.all(hostDirs.map((d) => stop(qemuPid(d), `tvdlab-${prefix}-`)));
  await stop(readPid(join(dir, 'fabric.pid')), join(dir, 'fabric.json'));
  for (const e of XEN_LAB_ENTRIES) rmSync(join(dir, e), { recursive: true, force: true });
  if (record.createdDir) {
    try {
      if (readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      /* already gone */
    }
  }
  releaseSlot(prefix, record.slot >= 0 ? record.slot : undefined);
  removeRecord(prefix);
  return { found: true };
}
