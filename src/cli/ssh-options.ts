// The SSH options every host-facing command shares (capabilities, plan, apply, destroy, verify),
// and how long its scripts wait for a host's lock:
// add them to a commander Command, and turn the parsed values into ConnectOptions.
import { Option, type Command } from 'commander';
import { UserError } from '../errors/user-error.js';
import type { ConnectOptions } from '../ssh/session.js';
import { DEFAULT_HOST_LOCK_WAIT_S } from '../host/host-lock.js';

export interface SshCliOptions {
  knownHosts?: string;
  identity?: string;
  sshConfig?: string;
  trustNewHosts?: boolean;
  connectTimeout?: string;
  hostLockTimeout?: string;
}

export function addSshOptions(cmd: Command): Command {
  return cmd
    .option('--known-hosts <path>', 'known_hosts file that host keys are checked against (default: ~/.ssh/known_hosts)')
    .option('--identity <path>', 'private key to log in with (else the SSH agent, then ~/.ssh/id_*)')
    .option('--ssh-config <path>', 'ssh_config file for HostName, Port, User, IdentityFile, ProxyJump (default: ~/.ssh/config)')
    .option('--trust-new-hosts', 'add the key of a host not yet in known_hosts to it (never a changed or revoked key)')
    .addOption(new Option('--connect-timeout <seconds>', 'give up on a host that does not answer within this time').default('10'))
    .addOption(
      new Option(
        '--host-lock-timeout <seconds>',
        "how long a script waits for a host's lock (/run/tvd/lock), held while another run (or an abandoned one) changes that host",
      ).default(String(DEFAULT_HOST_LOCK_WAIT_S)),
    );
}

/** --host-lock-timeout in seconds. */
export function hostLockWaitFrom(o: SshCliOptions): number {
  const seconds = Number(o.hostLockTimeout ?? DEFAULT_HOST_LOCK_WAIT_S);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UserError(`--host-lock-timeout ${o.hostLockTimeout}: expected a number of seconds > 0`);
  return seconds;
}

export function connectOptionsFrom(o: SshCliOptions): ConnectOptions {
  const seconds = Number(o.connectTimeout ?? '10');
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UserError(`--connect-timeout ${o.connectTimeout}: expected a number of seconds > 0`);
  return {
    knownHostsPath: o.knownHosts,
    identityPath: o.identity,
    sshConfigPath: o.sshConfig,
    trustNewHosts: o.trustNewHosts ?? false,
    connectTimeoutMs: Math.round(seconds * 1000),
  };
}
