// Reading a topology: file or folder -> parsed -> merged -> schema check -> meaning checks.
// Valid input takes only the fast path (js-yaml, plain data). Positions are computed only
// for problems, by parsing the affected files again with eemeli/yaml (positions.ts).
import type { Topology } from './schema.js';
import { compareDiagnostics, formatPath, type DataPath, type Diagnostic } from './diagnostic.js';
import { readSource, type SourceFile } from './source.js';
import { parseFast } from './parse-fast.js';
import { parseWithPositions, positionOf, type PositionedDocument, type Position, type Span } from './positions.js';
import { mergeFiles, type FileProblem, type Merged, type ParsedFile } from './merge.js';
import { checkSchema } from './schema-check.js';
import { partsOf } from './parts.js';
import { checkMeaning } from './checks.js';
import { topologyDigest } from './digest.js';
import { printable } from './suggest.js';

export type LoadResult = { ok: true; topology: Topology; digest: string; files: string[] } | { ok: false; diagnostics: Diagnostic[] };

export function loadTopology(path: string): LoadResult {
  const source = readSource(path);
  if (!source.ok)
    return { ok: false, diagnostics: [{ file: source.file, line: 0, col: 0, path: '', message: source.message, code: 'source' }] };
  return checkSources(source.files);
}

/** The same as loadTopology, for text already in memory (tests, benchmarks, stdin). */
export function checkSources(files: SourceFile[]): LoadResult {
  const positioned = new Map<string, PositionedDocument | null>();
  const parsedFast = new Set<string>();
  const positionedDoc = (f: SourceFile): PositionedDocument | null => {
    if (!positioned.has(f.file)) {
      let p: PositionedDocument | null = null;
      try {
        p = parseWithPositions(f.text, parsedFast.has(f.file));
      } catch {
        p = null; // pathological input the position parser cannot take: fall back to 1:1
      }
      positioned.set(f.file, p);
    }
    return positioned.get(f.file)!;
  };

  const parsed: ParsedFile[] = [];
  const syntax: Diagnostic[] = [];
  for (const f of files) {
    const fast = parseFast(f.text);
    if (fast.ok) {
      parsedFast.add(f.file);
      parsed.push({ file: f.file, value: fast.value });
      continue;
    }
    const slow = positionedDoc(f);
    if (slow && slow.errors.length > 0) {
      for (const e of slow.errors)
        syntax.push({ file: f.file, line: e.line, col: e.col, path: '', message: printable(e.message), code: e.code });
    } else {
      syntax.push({ file: f.file, line: fast.line, col: fast.col, path: '', message: printable(fast.message), code: 'yaml-syntax' });
    }
  }
  if (syntax.length > 0) return { ok: false, diagnostics: syntax.sort(compareDiagnostics) };

  if (parsed.every((f) => f.value === null)) {
    const message = "the topology is empty; it needs at least 'version: 1' and 'tvds'";
    return { ok: false, diagnostics: parsed.map((f) => ({ file: f.file, line: 1, col: 1, path: '', message, code: 'empty' })) };
  }
  const merged = mergeFiles(parsed);
  const schemaProblems = checkSchema(merged.data);
  const meaningProblems = checkMeaning(partsOf(merged.data, schemaProblems));
  if (merged.problems.length === 0 && schemaProblems.length === 0 && meaningProblems.length === 0) {
    return { ok: true, topology: merged.data as Topology, digest: topologyDigest(merged.data), files: files.map((f) => f.file) };
  }

  const byFile = new Map(files.map((f) => [f.file, f]));
  const place = (file: string, path: DataPath, at: 'key' | 'value' | undefined): Position & Partial<Span> => {
    const src = byFile.get(file);
    const doc = src ? positionedDoc(src) : null;
    return doc ? positionOf(doc, path, at) : { line: 1, col: 1 };
  };
  const fileProblems: FileProblem[] = [
    ...merged.problems,
    ...[...schemaProblems, ...meaningProblems].map((p) => ({
      ...toFileProblem(merged, p.path, p.message, p.at, 'also' in p ? (p.also as DataPath) : undefined),
      code: p.code,
    })),
  ];
  const diagnostics = fileProblems.map((p): Diagnostic => {
    const { line, col, endLine, endCol } = place(p.file, p.path, p.at);
    let message = p.message;
    if (p.also) {
      const there = place(p.also.file, p.also.path, p.also.at);
      const where = p.also.file === p.file ? `${there.line}:${there.col}` : `${p.also.file}:${there.line}:${there.col}`;
      message = message.replace('{also}', where);
    }
    // Names in messages can be anything the user typed: nothing reaches the terminal unescaped.
    const span = endLine === undefined ? {} : { endLine, endCol };
    return { file: p.file, line, col, path: printable(formatPath(p.path)), message: printable(message), code: p.code ?? 'merge', ...span };
  });
  return { ok: false, diagnostics: diagnostics.sort(compareDiagnostics) };
}

function toFileProblem(
  merged: Merged,
  path: DataPath,
  message: string,
  at: 'key' | 'value' | undefined,
  also: DataPath | undefined,
): FileProblem {
  const o = merged.locate(path);
  return { file: o.file, path: o.path, message, at, also: also ? merged.locate(also) : undefined };
}
