// The slow path: eemeli/yaml with positions, used only when something is wrong. It finds syntax
// errors with their place, and maps a data path (['vms', 'w1', 'host']) to a line and column.
import type { Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import { yamlLibrary } from './yaml-library.js';
import type { DataPath } from './diagnostic.js';
import { COLLECTION_KEY_MESSAGE, collectionKeyOffset } from './collection-keys.js';
import { ALIAS_MESSAGE, MAX_DEPTH, exceedsBudget, nodeBudget } from './parse-fast.js';

export interface Position {
  line: number;
  col: number;
}

/** A position with where the node there ends (its key, or its value without trailing comments). */
export interface Span extends Position {
  endLine: number;
  endCol: number;
}

export interface SyntaxProblem extends Position {
  message: string;
  /** eemeli/yaml's error code in kebab case (`duplicate-key`), or `yaml-syntax`. */
  code: string;
}

export interface PositionedDocument {
  doc: Document.Parsed;
  lines: LineCounter;
  /** Syntax errors, unresolved tags and nesting too deep: what makes the fast parser refuse too. */
  errors: SyntaxProblem[];
}

/**
 * `syntaxKnownGood`: the fast parser already accepted this text and we only need positions, so
 * skip the checks it has done (duplicate keys are quadratic in eemeli/yaml: seconds for a map
 * of 10,000 VMs).
 */
export function parseWithPositions(text: string, syntaxKnownGood = false): PositionedDocument {
  const { LineCounter, parseDocument, visit } = yamlLibrary();
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.2',
    // Also under a `%YAML 1.1` directive: we read YAML 1.2 core only, as the fast path does.
    schema: 'core',
    uniqueKeys: !syntaxKnownGood,
    prettyErrors: false,
    resolveKnownTags: false,
    lineCounter: lines,
  });
  const at = (offset: number): Position => lines.linePos(offset);
  // The first error only: eemeli/yaml often reports the consequences of one mistake as more.
  const errors: SyntaxProblem[] = [...doc.errors, ...doc.warnings].slice(0, 1).map((e) => ({
    message: yamlMessage(e.code, e.message, text, e.pos[0]),
    code: e.code.toLowerCase().replace(/_/g, '-'),
    ...at(e.pos[0]),
  }));
  if (syntaxKnownGood) return { doc, lines, errors };
  if (errors.length === 0) {
    const deep = firstNodeDeeperThan(doc, MAX_DEPTH);
    if (deep) errors.push({ message: `nested too deeply (more than ${MAX_DEPTH} levels)`, code: 'too-deep', ...at(deep.range?.[0] ?? 0) });
  }
  if (errors.length === 0) {
    const key = collectionKeyOffset(doc);
    if (key !== undefined) errors.push({ message: COLLECTION_KEY_MESSAGE, code: 'collection-key', ...at(key) });
  }
  if (errors.length === 0 && text.includes('*')) {
    // The same guard as the fast path (parse-fast.ts), here to say where the aliases are.
    const value = doc.toJS({ maxAliasCount: -1 }) as unknown;
    if (exceedsBudget(value, nodeBudget(text.length))) {
      let alias: Node | undefined;
      visit(doc, { Alias: (_k, n) => ((alias = n), visit.BREAK) });
      errors.push({ message: ALIAS_MESSAGE, code: 'alias-budget', ...at((alias as Node | undefined)?.range?.[0] ?? 0) });
    }
  }
  return { doc, lines, errors };
}

/** The plain value, for tests that compare this parser with the fast one. Undefined = refused. */
export function slowValue(text: string): { ok: true; value: unknown } | { ok: false } {
  let p: PositionedDocument;
  try {
    p = parseWithPositions(text);
  } catch {
    return { ok: false };
  }
  if (p.errors.length > 0) return { ok: false };
  const value = p.doc.toJS({ maxAliasCount: -1 }) as unknown;
  return { ok: true, value: value === undefined ? null : value };
}

function yamlMessage(code: string, m: string, text: string, offset: number): string {
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^:\n]{1,40}/.exec(text.slice(offset))?.[0].trim();
    return `duplicate key${key ? ` '${key}'` : ''}: a key may appear only once in a map`;
  }
  if (code === 'TAG_RESOLVE_FAILED') return `${m.split('\n')[0]}: tags other than YAML 1.2 core (!!str, !!int, ...) are not accepted`;
  // eemeli/yaml messages can run over several lines with a source excerpt; keep the first.
  return m.split('\n')[0].replace(/\s+at line \d+, column \d+.*$/, '');
}

function firstNodeDeeperThan(doc: Document.Parsed, max: number): Node | undefined {
  const { isAlias, isMap, isScalar, isSeq, visit } = yamlLibrary();
  let found: Node | undefined;
  visit(doc, (_key, node, path) => {
    // `path` holds the document, then each collection and pair above: collections count as levels.
    if (found) return visit.BREAK;
    const depth = path.filter((p) => isMap(p) || isSeq(p)).length + 1;
    if (depth > max && (isScalar(node) || isMap(node) || isSeq(node) || isAlias(node))) {
      found = node as Node;
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}

/**
 * Where a data path is in the document. `at: 'key'` gives the key of the last element (for an
 * unknown or duplicate key); otherwise the value. A path that leads nowhere (e.g. a missing key)
 * stops at the deepest node that exists, which is the parent map.
 */
export function positionOf(p: PositionedDocument, path: DataPath, at: 'key' | 'value' = 'value'): Span {
  const { isAlias, isMap, isSeq } = yamlLibrary();
  let node: unknown = p.doc.contents;
  let offset = rangeStart(node) ?? 0;
  let end = rangeEnd(node) ?? offset;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isAlias(node)) node = node.resolve(p.doc);
    if (isMap(node)) {
      const pair = pairsOf(node).get(String(seg));
      if (!pair) break;
      const keyStart = rangeStart(pair.key);
      const valueStart = rangeStart(pair.value);
      if (last && at === 'key') {
        offset = keyStart ?? offset;
        end = rangeEnd(pair.key) ?? offset;
        break;
      }
      // An empty value (`host:`) has no text of its own: point at its key.
      const empty = isEmptyScalar(pair.value);
      offset = empty ? (keyStart ?? offset) : (valueStart ?? keyStart ?? offset);
      end = (empty ? rangeEnd(pair.key) : rangeEnd(pair.value)) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      end = rangeEnd(item) ?? offset;
      node = item;
    } else break;
  }
  const from = p.lines.linePos(offset);
  const to = p.lines.linePos(Math.max(end, offset));
  return { line: from.line, col: from.col, endLine: to.line, endCol: to.col };
}

// An index per map, built on first use: a topology with thousands of problems in a map of
// thousands of VMs must not scan the map once per problem.
const pairIndex = new WeakMap<object, Map<string, Pair<unknown, unknown>>>();

function pairsOf(map: YAMLMap<unknown, unknown>): Map<string, Pair<unknown, unknown>> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const k = keyString(pair.key);
      if (!index.has(k)) index.set(k, pair);
    }
    pairIndex.set(map, index);
  }
  return index;
}

function keyString(key: unknown): string {
  if (yamlLibrary().isScalar(key)) return String(key.value);
  return String(key);
}

/** The end of a node's value (eemeli/yaml's range[1]: before trailing comments and blank lines). */
function rangeEnd(node: unknown): number | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? r[1] : undefined;
}

function rangeStart(node: unknown): number | undefined {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? r[0] : undefined;
}

function isEmptyScalar(node: unknown): boolean {
  return node == null || (yamlLibrary().isScalar(node) && node.value === null && (node.source === '' || node.source === undefined));
}
