// The pid of a real-Xen lab host's emulator, from the file QEMU writes (-pidfile). Its own module
// so that up.ts and down.ts, which both need it, do not import each other.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function qemuPid(hostDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(hostDir, 'qemu.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
