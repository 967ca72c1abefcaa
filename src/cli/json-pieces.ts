// JSON.stringify(value, null, 2) + '\n' in pieces, for a plan's --json output: the empty-state plan
// of 10,000 hosts is 170 MB of text, and one string of it (then one Buffer) was a third of the
// process's peak RSS (bench/plan-scale.ts). The arrays of the top-level object (a plan's
// actions, warnings, crossings) are written in slices, each laid out by JSON.stringify itself,
// so the bytes are its own (test/ux/json-pieces.test.ts compares them).

/** `"key": value` as the line(s) of a top-level object's entry, by JSON.stringify itself (its prefix `{\n  ` and suffix `\n}` cut off). */
function entry(k: string, v: unknown): string {
  const text = JSON.stringify({ [k]: v }, null, 2);
  return text.slice(4, text.length - 2);
}

const SLICE = 256;

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
    if (Array.isArray(v) && v.length > 0) {
      // Slices of the array, each laid out by JSON.stringify as the entry's elements: `  "key": [\n` + elements + `\n  ]`.
      const head = `  ${JSON.stringify(k)}: [\n`;
      yield head;
      for (let j = 0; j < v.length; j += SLICE) {
        const text = entry(k, v.slice(j, j + SLICE));
        yield (j > 0 ? ',\n' : '') + text.slice(head.length - 2, text.length - 4);
      }
      yield '\n  ]';
    } else {
      yield '  ' + entry(k, v);
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
