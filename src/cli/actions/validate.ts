// What `tvd validate` does; its arguments and options are in commands/validate.ts.
import { loadTopology } from '../../topology/load.js';
import { diagnosticLines } from '../diagnostic-text.js';
import type { Topology } from '../../topology/schema.js';

export interface ValidateOptions {
  json?: boolean;
}

export function run(path: string, opts: ValidateOptions): void {
  const result = loadTopology(path);
  if (opts.json) {
    process.stdout.write(JSON.stringify(result.ok ? [] : result.diagnostics, null, 2) + '\n');
  } else if (result.ok) {
    process.stdout.write(summary(result.topology) + '\n');
  } else {
    for (const l of diagnosticLines(result.diagnostics)) process.stderr.write(l + '\n');
    const n = result.diagnostics.length;
    process.stderr.write(`${n} ${n === 1 ? 'problem' : 'problems'} found.\n`);
  }
  process.exitCode = result.ok ? 0 : 1;
}

export function summary(t: Topology): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    'Valid: ' +
    [
      count(Object.keys(t.tvds ?? {}).length, 'TVD'),
      count((t.flows ?? []).length, 'flow'),
      count(Object.keys(t.hosts ?? {}).length, 'host'),
      count(Object.keys(t.vms ?? {}).length, 'VM'),
    ].join(', ') +
    '.'
  );
}
