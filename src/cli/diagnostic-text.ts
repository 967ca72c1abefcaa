// Problems in the topology as people read them: `file:line:col: path: message`, a YAML syntax
// error with the lines around it and a caret under the place (as Terraform shows a source
// range), and no more than MAX_SHOWN of them, then how many more.
import { readFileSync } from 'node:fs';
import { formatDiagnostic, type Diagnostic } from '../topology/diagnostic.js';
import { printable } from '../topology/suggest.js';
import { MAX_SHOWN } from './plan-text/errors.js';

/** Up to two lines before the place and the line itself, numbered, then a caret. Pure. */
export function sourceExcerpt(text: string, line: number, col: number): string[] {
  const lines = text.split(/\r?\n/);
  if (line < 1 || line > lines.length + 1) return [];
  const first = Math.max(1, line - 2);
  const width = String(line).length;
  const out: string[] = [];
  for (let n = first; n <= Math.min(line, lines.length); n++) out.push(`  ${String(n).padStart(width)} | ${printable(lines[n - 1] ?? '')}`);
  // The caret under the column, counted as the line is shown (escapes included).
  const lead = ' '.repeat(printable((lines[line - 1] ?? '').slice(0, Math.max(0, col - 1))).length);
  out.push(`  ${' '.repeat(width)} | ${lead}^`);
  return out;
}

/** A syntax error (no data path): the place in the source. Others name their path already. */
function excerptFor(d: Diagnostic, read: (file: string) => string | undefined): string[] {
  if (d.path !== '' || d.line < 1) return [];
  const text = read(d.file);
  return text === undefined ? [] : sourceExcerpt(text, d.line, d.col);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function diagnosticLines(diagnostics: Diagnostic[], read: (file: string) => string | undefined = readText): string[] {
  const out: string[] = [];
  for (const d of diagnostics.slice(0, MAX_SHOWN)) out.push(formatDiagnostic(d), ...excerptFor(d, read));
  const more = diagnostics.length - MAX_SHOWN;
  if (more > 0) out.push(`... and ${more} more ${more === 1 ? 'problem' : 'problems'} (validate --json lists them all)`);
  return out;
}
