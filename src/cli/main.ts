#!/usr/bin/env node
// The `tvd` entry point: builds the command tree and turns every failure into one clean message.
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { reportFailure } from './report-failure.js';

// A reader that goes away (`tvd apply ... | head`) must not kill a run half-way: the state
// would miss the steps that finished. Drop the output and carry on.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
});

const program = buildProgram();

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 1;
  } else {
    process.exitCode = reportFailure(err, process.argv.includes('--verbose'));
  }
}
