// Reads what the user named: one YAML file, or every *.yaml / *.yml in a folder (sorted).
// The only file I/O of src/topology/.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface SourceFile {
  /** As the user would write it: the given path, or the folder joined with the file name. */
  file: string;
  text: string;
}

/** Bigger than any topology; refusing it keeps a mistaken path (a disk image) from hanging us. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

export type ReadResult = { ok: true; files: SourceFile[] } | { ok: false; file: string; message: string };

export function readSource(path: string): ReadResult {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    return { ok: false, file: path, message: `cannot read: ${reason(e)}` };
  }
  if (!isDir) {
    const one = readOne(path);
    return 'text' in one ? { ok: true, files: [one] } : one;
  }
  let names: string[];
  try {
    names = readdirSync(path)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch (e) {
    return { ok: false, file: path, message: `cannot read the folder: ${reason(e)}` };
  }
  if (names.length === 0) return { ok: false, file: path, message: 'no *.yaml or *.yml files in this folder' };
  const files: SourceFile[] = [];
  for (const n of names) {
    const full = join(path, n);
    try {
      if (statSync(full).isDirectory()) continue;
    } catch {
      // readOne reports it
    }
    const one = readOne(full);
    if (!('text' in one)) return one;
    files.push(one);
  }
  if (files.length === 0) return { ok: false, file: path, message: 'no *.yaml or *.yml files in this folder' };
  return { ok: true, files };
}

function readOne(file: string): SourceFile | { ok: false; file: string; message: string } {
  try {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES)
      return { ok: false, file, message: `too large (${size} bytes); a topology is at most ${MAX_FILE_BYTES} bytes` };
    const buf = readFileSync(file);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return { file, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (e) {
    if (e instanceof TypeError) return { ok: false, file, message: 'not UTF-8 text' };
    return { ok: false, file, message: `cannot read: ${reason(e)}` };
  }
}

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
