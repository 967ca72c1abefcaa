// The CLI as a function: builds the command tree, runs one command line and turns every failure
// into one clean message and an exit code. src/cli/main.ts calls it as an ES module; the bundle
// that package.json's bin runs (scripts/bundle-cli.ts) exports it to its launcher.
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { reportFailure } from './report-failure.js';

let stdoutGuarded = false;

export async function runCli(argv: string[]): Promise<void> {
  // A reader that goes away (`tvd apply ... | head`) must not kill a run half-way: the state
  // would miss the steps that finished. Drop the output and carry on.
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    });
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 1;
    } else {
      process.exitCode = reportFailure(err, argv.includes('--verbose'));
    }
  }
}
