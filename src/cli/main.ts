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
  .configureOutput({ outputError: (s, write) => write(s) });

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
