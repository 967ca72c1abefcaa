// `tvd verify FILE`: are the hosts still what tvd deployed, and do they still meet the TVDs'
// membership requirements? Exit 0 clean, 2 findings, 1 error. With --watch, a round every
// interval of the TVDs that ask for continual checks, one line per finding, until stopped.
import { Option, type Command } from 'commander';
import { addCommonOptions } from '../common-options.js';
import { addSshOptions } from '../ssh-options.js';
import type { VerifyOptions } from '../actions/verify.js';
import { DEFAULT_PARALLELISM } from '../option-values.js';

export function registerVerify(program: Command): void {
  const cmd = program
    .command('verify')
    .description("check the hosts against the state (drift, foreign parts) and the TVDs' membership requirements")
    .argument('<file>', 'the topology (a file, or a folder of *.yaml)')
    .option(
      '--json',
      'print {findings: [{kind, host, address?, message}], hosts: [...]}; with --probe also probe: {probes, checks, mismatches, ...}',
    )
    .option('--watch', 'check again every interval of the TVDs with membership.check: continual, one line per finding, until stopped')
    .addOption(
      new Option(
        '--interval <duration>',
        'with --watch: how often (e.g. 30s, 10m, 1h); default: the shortest membership.interval of the continual TVDs',
      ),
    )
    .option(
      '--probe',
      'also prove the flow matrix by traffic: short-lived probe endpoints on TVD bridges ping and connect to each other across every pair of TVDs; a difference is a finding (docs/verify-probe.md)',
    )
    .addOption(
      new Option(
        '--probe-hosts <hosts>',
        'with --probe: attach probes only on these hosts (comma-separated); default: per TVD the first two hosts that carry its vSwitch',
      ),
    )
    .option('--parallelism <n>', 'hosts talked to at once', DEFAULT_PARALLELISM)
    .addHelpText(
      'after',
      '\nExit codes: 0 clean, 2 findings (or, with --probe, traffic that differs from the matrix), 1 error, 130 interrupted.\n\nExamples:\n  $ tvd verify topology.yaml\n  $ tvd verify topology.yaml --json\n  $ tvd verify topology.yaml --probe --probe-hosts host-a,host-b\n  $ tvd verify topology.yaml --watch          # as a service: examples/systemd/tvd-verify.service\n',
    );
  addCommonOptions(cmd);
  addSshOptions(cmd);
  cmd.action(async (file: string, o: VerifyOptions) => (await import('../actions/verify.js')).run(file, o));
}
