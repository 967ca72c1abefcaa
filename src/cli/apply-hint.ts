// The command that applies a saved plan, with the options that found the state and the hosts
// repeated: a hint that dropped `--state` would apply against another state, or not log in.
import type { CommonOptions } from './common-options.js';
import type { SshCliOptions } from './ssh-options.js';
import { DEFAULT_STATE_PATH } from '../state/store.js';

/** A shell word as it must be typed: as is when plain, else single-quoted. */
function word(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function applyHint(planPath: string, o: CommonOptions & SshCliOptions): string {
  const args = ['tvd', 'apply', word(planPath)];
  if (o.state !== undefined && o.state !== DEFAULT_STATE_PATH) args.push('--state', word(o.state));
  if (o.knownHosts) args.push('--known-hosts', word(o.knownHosts));
  if (o.identity) args.push('--identity', word(o.identity));
  if (o.sshConfig) args.push('--ssh-config', word(o.sshConfig));
  if (o.connectTimeout && o.connectTimeout !== '10') args.push('--connect-timeout', word(o.connectTimeout));
  return args.join(' ');
}
