#!/usr/bin/env node
// The `tvd` entry point: builds the command tree and turns every failure into one clean message.
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { registerCommands } from './commands/index.js';
import { reportFailure } from './report-failure.js';

const require = createRequire(import.meta.url);
const { version } = require('../../../package.json') as { version: string };

const program = new Command('tvd')
  .description('Deploy Trusted Virtual Domains (TVDs) on Xen hosts from one YAML topology.')
  .version(version, '-V, --version')
  .showSuggestionAfterError(true)
  .exitOverride()
  .configureOutput({ outputError: (s, write) => write(s) })
  .addHelpText(
    'after',
    `
Examples:
  $ tvd init                                  # a starter topology.yaml, with editor hover help
  $ tvd validate topology.yaml
  $ tvd graph topology.yaml --format svg --out topology.svg
  $ tvd plan topology.yaml --out tvd.plan     # review, then:
  $ tvd apply tvd.plan
  $ tvd destroy topology.yaml

Run \`tvd help <command>\` for a command's options and examples. Exit codes: 0 ok, 1 error,
2 changes (plan --detailed-exitcode). Colour follows NO_COLOR, FORCE_COLOR and --no-color.
`,
  );

// A reader that goes away (\`tvd apply ... | head\`) must not kill a run half-way: the state
// would miss the steps that finished. Drop the output and carry on.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
});

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 1;
  } else {
    process.exitCode = reportFailure(err, process.argv.includes('--verbose'));
  }
}
