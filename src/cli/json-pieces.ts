// JSON.stringify(value, null, 2) + '\n' in pieces, for a plan's --json output: the empty-state plan
// of 10,000 hosts is 170 MB of text, and one string of it (then one Buffer) was a third of the
// process's peak RSS (bench/plan-scale.ts). The arrays of the top-level object (a plan's
// actions, warnings, crossings) are written element by element; the bytes are JSON.stringify's,
// which test/ux/json-pieces.test.ts compares.

/** JSON.stringify(v, null, 2) of a value nested `depth` levels deep, indented as it would be there. */
function nested(v: unknown, depth: number): string {
  const text = JSON.stringify(v, null, 2);
  // JSON text has no raw line breaks inside strings: every \n is a line of the layout.
  return depth === 0 ? text : text.replace(/\n/g, '\n' + '  '.repeat(depth));
}

/** What JSON.stringify leaves out of an object, or writes as null in an array. */
const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

export function* jsonPieces(value: unknown): Generator<string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield JSON.stringify(value, null, 2) + '\n';
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => !skipped(v));
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{\n';
  for (const [i, [k, v]] of entries.entries()) {
    const key = `  ${JSON.stringify(k)}: `;
    if (Array.isArray(v) && v.length > 0) {
      yield `${key}[\n`;
      for (let j = 0; j < v.length; j++) yield `    ${skipped(v[j]) ? 'null' : nested(v[j], 2)}${j < v.length - 1 ? ',' : ''}\n`;
      yield '  ]';
    } else {
      yield key + nested(v, 1);
    }
    yield i < entries.length - 1 ? ',\n' : '\n';
  }
  yield '}\n';
}

/** Writes the pieces to a stream in blocks of about 1 MB (stdout to a file or pipe writes synchronously on Linux). */
export function writeJson(out: NodeJS.WritableStream, value: unknown): void {
  let block = '';
  for (const piece of jsonPieces(value)) {
    block += piece;
    if (block.length >= 1 << 20) {
      out.write(block);
      block = '';
    }
  }
  if (block) out.write(block);
}
