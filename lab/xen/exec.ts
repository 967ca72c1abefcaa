// Commands in a real-Xen lab: in a Dom0 over SSH (OpenSSH, the lab's key, its known_hosts,
// strict host key checking), and in a guest through its Xen console (console.ts).
import { shCommand } from '../../src/shell/quote.js';
import { UserError } from '../../src/errors/user-error.js';
import type { XenLabHost, XenLabInfo } from '../lab-info.js';
import { run, type RunResult } from '../process.js';
import { guestCommand } from './console.js';

/** How long a guest job may take, including the wait for a guest that is still booting. */
export const GUEST_TIMEOUT_S = 180;

export function sshArgv(
  lab: Pick<XenLabInfo, 'identity' | 'knownHosts'>,
  h: Pick<XenLabHost, 'address' | 'port' | 'user'>,
  remote: string,
): string[] {
  return [
    'ssh',
    '-F',
    '/dev/null',
    '-q',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${lab.knownHosts}`,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'ConnectTimeout=30',
    '-o',
    'ServerAliveInterval=15',
    '-i',
    lab.identity,
    '-p',
    String(h.port),
    `${h.user}@${h.address}`,
    '--',
    remote,
  ];
}

export const remoteCommand = (argv: string[]): string => shCommand(argv);

export function hostRun(lab: XenLabInfo, h: XenLabHost, argv: string[], input?: string): Promise<RunResult> {
  return run(sshArgv(lab, h, remoteCommand(argv)), { input });
}

/** The host whose Xen runs a domain named `vm`, asked of every host at once. */
export async function findGuestHost(lab: XenLabInfo, vm: string): Promise<XenLabHost | undefined> {
  const found = await Promise.all(lab.hosts.map(async (h) => ((await hostRun(lab, h, ['xl', 'domid', vm])).code === 0 ? h : undefined)));
  return found.find((h) => h !== undefined);
}

/** Runs `script` (sh) in guest `vm` on host `h`; its output and exit code come back. */
export function guestRun(lab: XenLabInfo, h: XenLabHost, vm: string, script: string, timeoutS = GUEST_TIMEOUT_S): Promise<RunResult> {
  return run(sshArgv(lab, h, guestCommand(vm, timeoutS)), { input: script });
}

export async function xenExec(
  lab: XenLabInfo,
  target: { host: string } | { vm: string },
  argv: string[],
  input?: string,
): Promise<RunResult> {
  if (argv.length === 0) throw new UserError('give a command after --');
  if ('host' in target) {
    const h = lab.hosts.find((x) => x.name === target.host);
    if (!h) throw new UserError(`lab '${lab.prefix}' has no host '${target.host}' (hosts: ${lab.hosts.map((x) => x.name).join(', ')})`);
    return hostRun(lab, h, argv, input);
  }
  if (input !== undefined && input !== '')
    throw new UserError('a guest of a real-Xen lab takes no standard input (its console carries the command)');
  const h = await findGuestHost(lab, target.vm);
  if (!h) throw new UserError(`no host of lab '${lab.prefix}' runs a domain named '${target.vm}'`);
  return guestRun(lab, h, target.vm, remoteCommand(argv) + '\n');
}
