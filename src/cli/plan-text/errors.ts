// A plan's errors as text: each with where it is when it is in the topology, at most
// MAX_SHOWN of them, then how many more (a topology with one mistake copied 500 times must
// not print 500 screens).
import type { PlanError } from '../../plan/plan.js';
import type { Palette } from '../palette.js';
import { formatDiagnostic } from '../../topology/diagnostic.js';

export const MAX_SHOWN = 50;

export function errorLines(errors: PlanError[], c: Palette): string[] {
  const out = errors
    .slice(0, MAX_SHOWN)
    .map((e) =>
      c.red(
        `Error: ${e.file !== undefined ? formatDiagnostic({ file: e.file, line: e.line ?? 0, col: e.col ?? 0, path: e.path ?? '', message: e.message }) : e.message}`,
      ),
    );
  const more = errors.length - MAX_SHOWN;
  if (more > 0) out.push(c.red(`... and ${more} more ${more === 1 ? 'error' : 'errors'} (plan --json lists them all)`));
  return out;
}
