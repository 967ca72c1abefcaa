// The topology's identity: sha256 of a canonical JSON (keys sorted at every level), so the same
// topology gives the same digest however its files are split, ordered or formatted.
import { createHash } from 'node:crypto';

/**
 * One string built in one walk: the map/filter/join version made arrays at every level and
 * took 55 ms of a 1,000-host plan (bench/plan-scale.ts). Same text, byte for byte.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  writeCanonical(value, (s) => parts.push(s));
  return parts.join('');
}

/**
 * The canonical text in pieces of about 64 KB, in order: the digest hashes them as they come,
 * rather than build the text of a 10,000-host topology (20 MB) as one string first.
 */
function writeCanonical(value: unknown, emit: (piece: string) => void): void {
  let out = '';
  // A topology repeats few keys many times (host, tvd, nics...): each is quoted once.
  const quotedKeys = new Map<string, string>();
  const write = (v: unknown): void => {
    if (typeof v === 'string') out += quoted(v);
    else if (typeof v === 'number') out += Number.isFinite(v) ? String(v) : 'null';
    else if (typeof v === 'boolean') out += v ? 'true' : 'false';
    else if (Array.isArray(v)) {
      out += '[';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += ',';
        write(v[i] ?? null);
      }
      out += ']';
    } else if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      const keys = sortedKeys(obj);
      out += '{';
      let first = true;
      for (const k of keys) {
        const x = obj[k];
        if (x === undefined) continue;
        if (!first) out += ',';
        first = false;
        let q = quotedKeys.get(k);
        if (q === undefined) quotedKeys.set(k, (q = quoted(k) + ':'));
        out += q;
        write(x);
      }
      out += '}';
    } else {
      out += JSON.stringify(v) ?? 'null';
    }
    if (out.length > 65536) {
      emit(out);
      out = '';
    }
  };
  write(value);
  if (out) emit(out);
}

/** What JSON.stringify escapes: quote, backslash, control characters, lone surrogates (checked by it). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify of a string, without its call for the common string that needs no escape. */
function quoted(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * Object.keys in the order of Array.prototype.sort (UTF-16 code units; keys are distinct). The
 * built-in sort allocates a work array per call, 190 MB over a 10,000-host topology's small
 * objects; a few keys are sorted in place instead.
 */
function sortedKeys(obj: Record<string, unknown>): string[] {
  const keys = Object.keys(obj);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > k) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

export function topologyDigest(value: unknown): string {
  const hash = createHash('sha256');
  writeCanonical(value, (piece) => hash.update(piece));
  return 'sha256:' + hash.digest('hex');
}
