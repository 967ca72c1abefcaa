// What every benchmark hands to bench/run.ts: a section of docs/benchmarks.md, with its tables,
// the command that reproduces it, the prose that explains it, and the targets met or missed.

export interface Target {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

export interface Section {
  title: string;
  /** The command that makes this section alone. */
  command: string;
  /** Markdown: tables and the explanation of the figures (written by the benchmark, not by hand). */
  body: string;
  targets: Target[];
  /** The machine's load average when the section started and ended. */
  load?: { before: string; after: string };
  seconds?: number;
}

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c)).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function targetsTable(ts: Target[]): string {
  return table(
    ['target', 'wanted', 'measured', ''],
    ts.map((t) => [t.what, t.target, t.measured, t.met ? 'met' : '**missed**']),
  );
}

/** Prints a section as markdown; what a benchmark run alone shows. */
export function printSection(s: Section): void {
  process.stdout.write(`## ${s.title}\n\n${s.body}\n\n${targetsTable(s.targets)}\n`);
}

export function argNumber(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

/** True when this module is the program (`node dist/bench/x.js`), not imported by run.ts. */
export function isMain(metaUrl: string): boolean {
  return process.argv[1] !== undefined && new URL(metaUrl).pathname === process.argv[1];
}
