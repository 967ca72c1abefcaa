// Attribute values as lines, and the difference between two of them, as Terraform's renderer
// shows a nested diff: for objects the members that changed, for lists the elements added and
// removed (a changed element as its changed members), for texts (xl.cfg, a ruleset) a line
// diff with a few lines of context. Nothing is cut: long values span lines.
import type { Line, Sign } from './lines.js';
import { sequenceDiff } from './sequence-diff.js';

export interface DiffOptions {
  /** Show unchanged attributes, elements and lines too. */
  verbose?: boolean;
  /** Unchanged lines of a text kept around each change. */
  context?: number;
  /** A trailing comment for a top-level attribute (e.g. `forces replacement`). */
  note?: (key: string) => string | undefined;
  /** Characters a line has at depth 0 after its sign: a list or object goes on one line only if it fits. */
  room?: number;
}

/** Lists and objects up to this length are written on one line, where the line has room. */
const INLINE_MAX = 90;

/** What a value may take on one line at this depth, after `lead` and before `trail`. */
const roomAt = (o: DiffOptions, depth: number, lead: string, trail: string, max = INLINE_MAX) =>
  Math.min(max, (o.room ?? 110) - 4 * depth - lead.length - trail.length);

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.includes('\n');

function canonical(v: unknown): string {
  return (
    JSON.stringify(v, (_k, x) =>
      isObject(x)
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, x[k]]),
          )
        : x,
    ) ?? 'undefined'
  );
}

// Cheap answers first: a create compares every attribute with nothing, and a fleet has many.
const same = (a: unknown, b: unknown) =>
  a === b || (a !== undefined && b !== undefined && typeof a === typeof b && typeof a === 'object' && canonical(a) === canonical(b));

/** A scalar always goes on one line (folded if it must be); lists and objects need not. */
const scalarLength = (v: unknown) => (typeof v === 'object' && v !== null ? 0 : Infinity);

function scalar(v: unknown): string {
  return v === undefined || v === null ? 'null' : JSON.stringify(v);
}

/** The value on one line, or undefined when it holds a text or is longer than `max`. */
function inline(v: unknown, max = INLINE_MAX): string | undefined {
  let s: string | undefined;
  if (isText(v)) return undefined;
  if (Array.isArray(v)) {
    const parts = v.map(inline);
    s = parts.some((p) => p === undefined) ? undefined : `[${parts.join(', ')}]`;
  } else if (isObject(v)) {
    const parts = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => [k, inline(x)]);
    s = parts.some(([, p]) => p === undefined) ? undefined : parts.length ? `{ ${parts.map(([k, p]) => `${k} = ${p}`).join(', ')} }` : '{}';
  } else {
    return scalar(v);
  }
  return s !== undefined && s.length <= max ? s : undefined;
}

function textLines(t: string): string[] {
  const lines = t.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const padKeys = (keys: string[]) => {
  const w = Math.max(0, ...keys.map((k) => k.length));
  return (k: string) => k.padEnd(w);
};

/**
 * A whole value (created, deleted, or unchanged and shown): each member with the sign, as
 * Terraform writes it; a text's lines and the closing brackets without.
 */
export function valueLines(v: unknown, sign: Sign, depth: number, lead = '', trail = '', o: DiffOptions = {}): Line[] {
  const one = inline(v, Math.max(roomAt(o, depth, lead, trail), scalarLength(v)));
  if (one !== undefined) return [{ sign, depth, text: lead + one + trail }];
  const end = (text: string): Line => ({ sign: ' ', depth, text: text + trail });
  if (isText(v))
    return [
      { sign, depth, text: `${lead}<<-EOT` },
      ...textLines(v).map((text) => ({ sign: ' ' as const, depth: depth + 1, text })),
      end('EOT'),
    ];
  if (Array.isArray(v))
    return [{ sign, depth, text: `${lead}[` }, ...v.flatMap((x) => valueLines(x, sign, depth + 1, '', ',', o)), end(']')];
  const entries = Object.entries(v as Obj).filter(([, x]) => x !== undefined);
  const pad = padKeys(entries.map(([k]) => k));
  return [
    { sign, depth, text: `${lead}{` },
    ...entries.flatMap(([k, x]) => valueLines(x, sign, depth + 1, `${pad(k)} = `, '', o)),
    end('}'),
  ];
}

const hidden = (depth: number, n: number, what: string): Line => ({
  sign: ' ',
  depth,
  text: `# (${n} unchanged ${what}${n === 1 ? '' : 's'} hidden)`,
  quiet: true,
});

/** The members of an object that differ (and, verbose, those that do not). */
export function objectDiff(before: Obj, after: Obj, depth: number, o: DiffOptions = {}, noun = 'attribute', showSame = false): Line[] {
  const all = [...new Set([...Object.keys(after), ...Object.keys(before)])].filter(
    (k) => before[k] !== undefined || after[k] !== undefined,
  );
  const keys = o.verbose || showSame ? all : all.filter((k) => !same(before[k], after[k]));
  const unchanged = all.length - keys.length;
  const pad = padKeys(keys);
  const out: Line[] = [];
  for (const k of keys) {
    const [b, a] = [before[k], after[k]];
    const lead = `${pad(k)} = `;
    let lines: Line[];
    if (same(b, a)) lines = valueLines(a, ' ', depth, lead, '', o);
    else if (b === undefined) lines = valueLines(a, '+', depth, lead, '', o);
    else if (a === undefined) lines = valueLines(b, '-', depth, lead, ' -> null', o);
    else lines = change(b, a, depth, lead, o);
    const note = depth === 0 ? o.note?.(k) : undefined;
    if (note) lines[0] = { ...lines[0], note };
    out.push(...lines);
  }
  if (unchanged) out.push(hidden(depth, unchanged, noun));
  return out;
}

/** Two different values of one attribute. */
export function change(b: unknown, a: unknown, depth: number, lead: string, o: DiffOptions, trail = ''): Line[] {
  if ((isText(b) || isText(a)) && typeof b === 'string' && typeof a === 'string') return textDiff(b, a, depth, lead, o, trail);
  if (Array.isArray(b) && Array.isArray(a))
    return [{ sign: '~', depth, text: `${lead}[` }, ...listDiff(b, a, depth + 1, o), { sign: ' ', depth, text: `]${trail}` }];
  if (isObject(b) && isObject(a)) {
    // A changed element may take a longer line than a value: it says which element it is.
    const flat = inlineObjectDiff(b, a, roomAt(o, depth, lead, trail, INLINE_MAX + 24));
    if (flat !== undefined) return [{ sign: '~', depth, text: lead + flat + trail }];
    return [
      { sign: '~', depth, text: `${lead}{` },
      ...objectDiff(b, a, depth + 1, o, 'member', true),
      { sign: ' ', depth, text: `}${trail}` },
    ];
  }
  const [x, y] = [inline(b), inline(a)];
  if (x !== undefined && y !== undefined) return [{ sign: '~', depth, text: `${lead}${x} -> ${y}${trail}` }];
  return [...valueLines(b, '-', depth, lead, '', o), ...valueLines(a, '+', depth, lead, trail, o)];
}

/**
 * A changed object element on one line, unchanged members included (they tell which element
 * it is): `{ peer = "db", port = 5432 -> 5433 }`. Undefined when members come or go, a member
 * is not a scalar, or the line would be long.
 */
function inlineObjectDiff(b: Obj, a: Obj, max: number): string | undefined {
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  if (
    !same(
      Object.keys(b)
        .filter((k) => b[k] !== undefined)
        .sort(),
      [...keys].sort(),
    )
  )
    return undefined;
  const parts: string[] = [];
  for (const k of keys) {
    const [x, y] = [b[k], a[k]];
    if (typeof x === 'object' || typeof y === 'object' || isText(x) || isText(y)) return undefined;
    parts.push(same(x, y) ? `${k} = ${scalar(y)}` : `${k} = ${scalar(x)} -> ${scalar(y)}`);
  }
  const s = `{ ${parts.join(', ')} }`;
  return s.length <= max ? s : undefined;
}

/** The elements removed and added; a removed and an added object side by side as one change. */
function listDiff(b: unknown[], a: unknown[], depth: number, o: DiffOptions): Line[] {
  const edits = sequenceDiff(b, a, canonical);
  const out: Line[] = [];
  let kept = 0;
  const flushKept = () => {
    if (kept) out.push(hidden(depth, kept, 'element'));
    kept = 0;
  };
  for (let i = 0; i < edits.length; ) {
    const e = edits[i];
    if (e.op === 'keep') {
      if (o.verbose) out.push(...valueLines(e.item, ' ', depth, '', ',', o));
      else kept++;
      i++;
      continue;
    }
    flushKept();
    // A run of removals and additions: pair the objects among them in order.
    const removed: unknown[] = [];
    const added: unknown[] = [];
    for (; i < edits.length && edits[i].op !== 'keep'; i++) (edits[i].op === 'remove' ? removed : added).push(edits[i].item);
    const pairs = Math.min(removed.length, added.length);
    for (let k = 0; k < pairs; k++) {
      if (isObject(removed[k]) && isObject(added[k])) out.push(...change(removed[k], added[k], depth, '', o, ','));
      else out.push(...valueLines(removed[k], '-', depth, '', ',', o), ...valueLines(added[k], '+', depth, '', ',', o));
    }
    for (const x of removed.slice(pairs)) out.push(...valueLines(x, '-', depth, '', ',', o));
    for (const x of added.slice(pairs)) out.push(...valueLines(x, '+', depth, '', ',', o));
  }
  flushKept();
  return out;
}

/** A line diff of two texts, with `context` unchanged lines around each change. */
function textDiff(b: string, a: string, depth: number, lead: string, o: DiffOptions, trail: string): Line[] {
  const edits = sequenceDiff(textLines(b), textLines(a));
  const context = o.context ?? 3;
  const near = edits.map(() => !!o.verbose);
  edits.forEach((e, i) => {
    if (e.op === 'keep' || o.verbose) return;
    for (let k = Math.max(0, i - context); k <= Math.min(edits.length - 1, i + context); k++) near[k] = true;
  });
  const out: Line[] = [{ sign: '~', depth, text: `${lead}<<-EOT` }];
  let skipped = 0;
  edits.forEach((e, i) => {
    if (!near[i]) {
      skipped++;
      return;
    }
    if (skipped) out.push(hidden(depth + 1, skipped, 'line'));
    skipped = 0;
    out.push({ sign: e.op === 'keep' ? ' ' : e.op === 'add' ? '+' : '-', depth: depth + 1, text: e.item });
  });
  if (skipped) out.push(hidden(depth + 1, skipped, 'line'));
  out.push({ sign: ' ', depth, text: `EOT${trail}` });
  return out;
}
