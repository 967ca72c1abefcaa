// The fast path: js-yaml into plain data, no positions. Valid input only ever takes this path.
// Its failures carry js-yaml's own position, used only if the position-keeping parser
// (positions.ts) unexpectedly finds nothing wrong.
import { load, YAMLException, type LoadOptions } from 'js-yaml';
import { YAML_12_CORE_SCHEMA } from './yaml-core-schema.js';
import { COLLECTION_KEY_MESSAGE, findCollectionKey } from './collection-keys.js';

export type FastParse = { ok: true; value: unknown } | { ok: false; message: string; line: number; col: number };

/** Nesting deeper than this is refused; no topology needs more than about 6 levels. */
export const MAX_DEPTH = 64;

/**
 * js-yaml does not copy an alias, it shares the anchored object, so "billion laughs" costs no
 * memory here, but every later walk over the data (schema check, digest) would be exponential.
 * We count the nodes of the tree as it would be walked and refuse more than this many.
 */
export function nodeBudget(textLength: number): number {
  return 100_000 + 10 * textLength;
}

export const ALIAS_MESSAGE = 'anchors and aliases expand to too much data (or refer to themselves); write the data out instead';

export function parseFast(text: string): FastParse {
  let value: unknown;
  try {
    // maxDepth exists since js-yaml 4.3; @types/js-yaml does not list it yet.
    value = load(text, { schema: YAML_12_CORE_SCHEMA, maxDepth: MAX_DEPTH } as LoadOptions);
  } catch (e) {
    if (e instanceof YAMLException) {
      return { ok: false, message: e.reason || 'not valid YAML', line: (e.mark?.line ?? 0) + 1, col: (e.mark?.column ?? 0) + 1 };
    }
    // A stack overflow or similar from pathological input: refuse it, never crash.
    return { ok: false, message: 'the YAML is nested too deeply or too large to read', line: 1, col: 1 };
  }
  if (value === undefined) value = null;
  // Without an alias (`*name`) the tree is as big as the text, so the walk is only needed with one.
  if (text.includes('*') && exceedsBudget(value, nodeBudget(text.length))) {
    return { ok: false, message: ALIAS_MESSAGE, line: 1, col: 1 };
  }
  if (findCollectionKey(text) !== undefined) return { ok: false, message: COLLECTION_KEY_MESSAGE, line: 1, col: 1 };
  return { ok: true, value };
}

/** Counts the nodes a full walk would visit, stopping as soon as there are more than `budget`. */
export function exceedsBudget(root: unknown, budget: number): boolean {
  const stack: unknown[] = [root];
  let seen = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (++seen > budget) return true;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stack.push(x);
  }
  return false;
}
