// A folder of YAML files is one topology: merged by top-level key. Maps (tvds, hosts, vms,
// defaults) merge by name and a name defined twice is an error naming both places; flows
// concatenate in file order; version and $schema may repeat only with the same value.
// Every merged path can be traced back to the file (and path in it) it came from.
import type { DataPath } from './diagnostic.js';

export interface FileProblem {
  /** As Problem's; merge problems have none (`merge`). */
  code?: string;
  file: string;
  /** A path in that file's data. */
  path: DataPath;
  message: string;
  at?: 'key' | 'value';
  /** Another place the message refers to: `{also}` in the message becomes its file:line:col. */
  also?: Origin & { at?: 'key' | 'value' };
}

export interface Origin {
  file: string;
  path: DataPath;
}

export interface ParsedFile {
  file: string;
  value: unknown;
}

export interface Merged {
  data: unknown;
  /** Where a path of the merged data is written. */
  locate(path: DataPath): Origin;
  problems: FileProblem[];
}

const MAP_SECTIONS = new Set(['tvds', 'hosts', 'vms', 'defaults']);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mergeFiles(files: ParsedFile[]): Merged {
  if (files.length === 1) {
    const { file, value } = files[0];
    return { data: value, locate: (path) => ({ file, path }), problems: [] };
  }
  const data: Record<string, unknown> = {};
  const problems: FileProblem[] = [];
  const sectionOrigin = new Map<string, string>(); // top-level key -> first file that set it
  const entryOrigin = new Map<string, string>(); // 'tvds\0name' -> file
  const flowOrigin: Origin[] = []; // merged flow index -> file and index there
  const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

  for (const { file, value } of files) {
    if (value === null) continue; // an empty file (or only comments) adds nothing
    if (!isPlainObject(value)) {
      problems.push({ file, path: [], message: 'a topology file is a map of top-level keys (version, tvds, flows, hosts, vms)' });
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      if (key === 'flows') {
        if (!Array.isArray(v)) {
          problems.push({ file, path: [key], message: `must be a list, not ${kindOf(v)}` });
          continue;
        }
        const list = (data.flows ??= []) as unknown[];
        v.forEach((f, i) => {
          flowOrigin.push({ file, path: ['flows', i] });
          list.push(f);
        });
        if (!sectionOrigin.has(key)) sectionOrigin.set(key, file);
      } else if (MAP_SECTIONS.has(key)) {
        if (!isPlainObject(v)) {
          if (v === null) continue; // `hosts:` with nothing under it adds nothing
          problems.push({ file, path: [key], message: `must be a map, not ${kindOf(v)}` });
          continue;
        }
        const section = (data[key] ??= {}) as Record<string, unknown>;
        if (!sectionOrigin.has(key)) sectionOrigin.set(key, file);
        for (const [name, entry] of Object.entries(v)) {
          const id = `${key}\0${name}`;
          const first = entryOrigin.get(id);
          if (first !== undefined) {
            problems.push({
              file,
              path: [key, name],
              at: 'key',
              message: `'${name}' is defined twice: here and at {also}; keep one`,
              also: { file: first, path: [key, name], at: 'key' },
            });
            continue;
          }
          entryOrigin.set(id, file);
          define(section, name, entry);
        }
      } else {
        // version, $schema, and keys the schema check will call unknown.
        const first = sectionOrigin.get(key);
        if (first === undefined) {
          sectionOrigin.set(key, file);
          define(data, key, v);
        } else if (!sameValue(data[key], v)) {
          problems.push({
            file,
            path: [key],
            message: `differs from the ${key} at {also}; all files must agree`,
            also: { file: first, path: [key] },
          });
        }
      }
    }
  }
  const firstFile = files.find((f) => f.value !== null)?.file ?? files[0].file;
  return {
    data,
    problems,
    locate(path) {
      const [key, second, ...rest] = path;
      if (typeof key !== 'string') return { file: firstFile, path };
      if (key === 'flows' && typeof second === 'number' && flowOrigin[second]) {
        const o = flowOrigin[second];
        return { file: o.file, path: [...o.path, ...rest] };
      }
      if (MAP_SECTIONS.has(key) && typeof second === 'string') {
        const f = entryOrigin.get(`${key}\0${second}`);
        if (f !== undefined) return { file: f, path };
      }
      return { file: sectionOrigin.get(key) ?? firstFile, path };
    },
  };
}

/** Sets an own property, even one named `__proto__` (a plain assignment would set the prototype). */
function define(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

export function kindOf(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'object':
      return 'a map';
    case 'string':
      return 'text';
    case 'number':
      return Number.isInteger(v) ? 'a whole number' : 'a number';
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return typeof v;
  }
}
