// A problem with the user's input, tied to where it is in the source.
// Checks report a path into the data; positions are looked up only when there is an error,
// so that valid input never pays for a position-keeping parse.

export type DataPath = (string | number)[];

export interface Problem {
  /** Where in the data: ['tvds', 'finance', 'vlan']. */
  path: DataPath;
  message: string;
  /** What kind of mistake, stable for tools (`unknown-key`, `schema`, `references`, ...); the checks.ts name by default. */
  code?: string;
  /** 'key' points at the key of the last path element (unknown or duplicate keys); default the value. */
  at?: 'key' | 'value';
}

/** A Problem placed in a file: what `tvd validate --json` prints. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
  /** The kind of mistake, as eemeli/yaml's errors have one: `yaml-syntax`, `duplicate-key`, `schema`, a check's name. */
  code?: string;
  /** Where the offending key or value ends, when the source has it (a range, as eemeli/yaml's `linePos`). */
  endLine?: number;
  endCol?: number;
}

export function formatPath(path: DataPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
  return d.path ? `${where}: ${d.path}: ${d.message}` : `${where}: ${d.message}`;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.file < b.file
    ? -1
    : a.file > b.file
      ? 1
      : a.line - b.line || a.col - b.col || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}
