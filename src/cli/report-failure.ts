// Turns a thrown error into what a user reads: one message, no stack trace unless --verbose.
import { UserError } from '../errors/user-error.js';
import { diagnosticLines } from './diagnostic-text.js';

export function reportFailure(err: unknown, verbose: boolean): number {
  if (err instanceof UserError) {
    for (const l of diagnosticLines(err.diagnostics)) process.stderr.write(l + '\n');
    if (err.message) process.stderr.write(`Error: ${err.message}\n`);
    return 1;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`Error: ${e.message}\n`);
  if (verbose && e.stack) process.stderr.write(e.stack.split('\n').slice(1).join('\n') + '\n');
  else process.stderr.write('(this is a bug in tvd; run again with --verbose for details)\n');
  return 1;
}
