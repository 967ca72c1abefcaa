// canonicalJson builds its text in one walk (for speed, bench/plan-scale.ts); it must give the
// very text of the plain recursive definition, so digests of existing states do not change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../../src/topology/digest.js';

function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => reference(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const obj = value as Record<string, unknown>;
    return `{${keys
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function value(rnd: () => number, depth: number): unknown {
  const k = Math.floor(rnd() * (depth > 3 ? 6 : 9));
  switch (k) {
    case 0:
      return null;
    case 1:
      return rnd() < 0.5;
    case 2:
      return Math.floor(rnd() * 1e6) - 5e5;
    case 3:
      return rnd() * 10;
    case 4:
      // Strings JSON.stringify escapes (quote, backslash, control, lone surrogate) and ones it does not.
      return ['', 'a', 'ü "q" \\ \n', 'vm-1', '\u2028', '\u0001', '\ud800', 'x\udc00', '😀', '\u007f'][Math.floor(rnd() * 10)];
    case 5:
      return [undefined, NaN, Infinity][Math.floor(rnd() * 3)];
    case 6:
    case 7: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 5); i > 0; i--)
        o[['b', 'a', '10', '2', 'é', '"k"', 'z', '\ud83d', 't\u0000'][Math.floor(rnd() * 9)]] = value(rnd, depth + 1);
      return o;
    }
    default:
      return Array.from({ length: Math.floor(rnd() * 4) }, () => value(rnd, depth + 1));
  }
}

test('canonicalJson equals the plain recursive definition on random values', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const v = value(random(seed), 0);
    assert.equal(canonicalJson(v), reference(v), `seed ${seed}`);
  }
});

test('canonicalJson and the digest equal the definition on wide objects and texts past 64 KB (the digest hashes pieces)', async () => {
  const { createHash } = await import('node:crypto');
  const { topologyDigest } = await import('../../src/topology/digest.js');
  const names = ['b', 'a', '10', '2', 'é', '"k"', 'z', 'vm-01', 'vm-1', 'Z', '😀', '\u2028', 'a-b', 'a/b', '', '0'];
  for (let seed = 1; seed <= 200; seed++) {
    const rnd = random(seed);
    const wide: Record<string, unknown> = {};
    for (let i = Math.floor(rnd() * 40); i > 0; i--)
      wide[names[Math.floor(rnd() * names.length)] + (rnd() < 0.5 ? String(Math.floor(rnd() * 30)) : '')] = value(rnd, 2);
    const big =
      seed % 20 === 0
        ? {
            vms: Object.fromEntries(
              Array.from({ length: 3000 }, (_, i) => [`vm${(i * 7919) % 3000}`, { host: 'h😀', nics: [{ tvd: 't' }], wide }]),
            ),
          }
        : wide;
    const text = reference(big);
    assert.equal(canonicalJson(big), text, `seed ${seed}`);
    assert.equal(topologyDigest(big), 'sha256:' + createHash('sha256').update(text).digest('hex'), `seed ${seed}`);
  }
});
