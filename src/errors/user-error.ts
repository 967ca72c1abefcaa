// The application's one error type for what the user must fix or know: bad input, an unreachable
// or refused host, a held lock. The CLI prints its message (and diagnostics, each file:line:col)
// as they are, without a stack trace; any other error is a bug and is reported as one.
import type { Diagnostic } from '../topology/diagnostic.js';

/** An error meant for the user: printed as one clean message, never with a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}
