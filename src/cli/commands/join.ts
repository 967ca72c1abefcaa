// `tvd join VM TVD` and `tvd leave VM TVD`: active membership (the paper's step 6) as a one-off.
// The VM's NIC on the TVD is attached or detached live through the host's proxy: first the
// admission in policy.json, then `xl network-attach` (whose vif hook checks it) or
// `network-detach`. Allowed only where the topology allows it: the TVD exists, the VM's host
// meets the TVD's membership requirements now, and the flow matrix is open both ways between
// the TVD and every TVD the VM is already in. The state records the change; the next plan shows
// the file's view as a difference until the file says the same. See docs/membership.md.
import type { Command } from 'commander';
import { addCommonOptions } from '../common-options.js';
import { addSshOptions } from '../ssh-options.js';
import type { ChangeOptions } from '../actions/join.js';
import { DEFAULT_PARALLELISM } from '../option-values.js';

function register(program: Command, kind: 'join' | 'leave'): void {
  const cmd = program
    .command(kind)
    .description(
      kind === 'join'
        ? "attach a running VM to a TVD through its host's proxy (a one-off the state records)"
        : 'detach a running VM from a TVD (a one-off the state records)',
    )
    .argument('<vm>', 'the VM (a name in the topology)')
    .argument('<tvd>', 'the TVD')
    .requiredOption('-f, --file <topology>', 'the topology the VM and TVD are in')
    .option('--auto-approve', 'do not ask')
    .option('--parallelism <n>', 'hosts talked to at once', DEFAULT_PARALLELISM);
  if (kind === 'join') {
    cmd
      .option('--ip <address>', "the VM's address in the TVD (in its subnet)")
      .option('--mac <mac>', "the NIC's MAC (default: derived from the VM and TVD names)");
  }
  cmd.addHelpText(
    'after',
    kind === 'join'
      ? '\nExamples:\n  $ tvd join app-3 web -f topology.yaml --ip 198.19.20.30\n'
      : '\nExamples:\n  $ tvd leave app-3 web -f topology.yaml\n',
  );
  addCommonOptions(cmd);
  addSshOptions(cmd);
  cmd.action(async (vm: string, tvd: string, o: ChangeOptions) => (await import('../actions/join.js')).run(kind, vm, tvd, o));
}

export function registerJoin(program: Command): void {
  register(program, 'join');
}

export function registerLeaveCommand(program: Command): void {
  register(program, 'leave');
}
