// Fault injection on a lab host's SSH server: kill every sshd of one host (the listener and the
// sessions under way, as a crash of the daemon would, and nothing of any other host), and start
// it again the way the host's anchor starts it at boot.
import { readFileSync } from 'node:fs';
import { UserError } from '../src/errors/user-error.js';
import { findLab } from './exec.js';
import { labExec } from './exec.js';
import { nsInode, procNamespaces, requireRoot, scanProcesses } from './namespaces.js';
import { waitForSsh } from './wait-for-ssh.js';

/** The pids of one host's processes whose command name is `comm` (found by the host's network namespace). */
export function hostProcesses(prefix: string, host: string, comm: string): number[] {
  requireRoot();
  const h = findLab(prefix).hosts.find((x) => x.name === host);
  if (!h) throw new UserError(`lab '${prefix}' has no host '${host}'`);
  const net = nsInode(`/run/netns/${h.netns}`);
  if (net === undefined) return [];
  return scanProcesses()
    .filter((p) => p.net === net && readComm(p.pid) === comm)
    .map((p) => p.pid);
}

/** SIGKILL every sshd of the host until none is left. Returns how many were killed. */
export async function killSshd(prefix: string, host: string): Promise<number> {
  const h = findLab(prefix).hosts.find((x) => x.name === host);
  const net = h && nsInode(`/run/netns/${h.netns}`);
  let killed = 0;
  for (let round = 0; round < 50; round++) {
    const pids = hostProcesses(prefix, host, 'sshd');
    if (pids.length === 0) return killed;
    for (const pid of pids) {
      // Still in the host's network namespace, not a pid handed on since (as in down.ts).
      if (procNamespaces(pid)?.net !== net) continue;
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        /* gone already */
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`sshd of host ${host} keeps coming back`);
}

/** Start the host's sshd as its anchor does (`/usr/sbin/sshd -E /var/log/sshd.log`), and wait until it answers. */
export async function startSshd(prefix: string, host: string): Promise<void> {
  const h = findLab(prefix).hosts.find((x) => x.name === host);
  if (!h) throw new UserError(`lab '${prefix}' has no host '${host}'`);
  const r = await labExec(prefix, { host }, ['/usr/sbin/sshd', '-E', '/var/log/sshd.log']);
  if (r.code !== 0) throw new Error(`sshd of host ${host} did not start (exit ${r.code}): ${r.stderr.trim()}`);
  await waitForSsh(h);
}

/** Kill every sshd of the host and start it again (after a change to its keys or config); resolves once it answers. */
export async function restartSshd(prefix: string, host: string): Promise<void> {
  await killSshd(prefix, host);
  await startSshd(prefix, host);
}

function readComm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
