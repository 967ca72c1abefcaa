// 2,000 seeded random mutations of the examples: deleted keys, wrong types, huge numbers, unicode
// and shell metacharacters in names, deep nesting, anchors and alias bombs, broken syntax.
// Every call of loadTopology returns ok or diagnostics with messages; none throws. The 1 s bound
// per case is a hang guard (a correctness bound against runaway input), not a benchmark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse, stringify } from 'yaml';
import { loadTopology } from '../../src/topology/load.js';
import { ROOT } from './helpers.js';
import { seededRandom, type SeededRandom } from '../support/seeded-random.js';

const CASES = 2000;
const HANG_GUARD_MS = 1000;

type Rng = SeededRandom;

const WEIRD_NAMES = [
  'a;rm -rf /',
  '$(reboot)',
  '`id`',
  'x|y',
  'a&&b',
  "o'brien",
  'quo"te',
  'new\nline',
  'tab\there',
  '../../etc',
  '-rf',
  'Ünïcödé',
  '\u202eevil',
  '名前',
  '🙂',
  'a'.repeat(33),
  '',
  ' ',
  'UPPER',
  '1abc',
  'a_b',
  'nul\u0000byte',
  '*',
  '&x',
  '!tag',
  '%',
  '@',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
];
const WEIRD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 53 + 1,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  4095,
  65536,
  16777216,
  '',
  'x'.repeat(300),
  '$(id)',
  '198.19.1.0/24',
  '999.1.1.1',
  '00:16:3e:00:00:01',
  'ff:ff:ff:ff:ff:ff',
  [],
  {},
  [1, [2, [3]]],
  { a: { b: { c: 1 } } },
  ['tcp'],
  [{ proto: 'tcp', port: 80 }],
  'closed',
  'controlled',
  'open',
  'continual',
  '10m',
];

/** Every path to a node in the data (maps and lists), for picking a spot to mutate. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}
function get(v: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | null)?.[k], v);
}
function deep(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
}

/** One mutation of the data; returns false when it found nothing to do. */
function mutateData(r: Rng, data: unknown): void {
  const all = paths(data).filter((p) => p.length > 0);
  const p = r.pick(all);
  const parent = get(data, p.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const key = p[p.length - 1];
  switch (r.int(7)) {
    case 0: // delete a key or list element
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key as string];
      break;
    case 1: // wrong type or odd value
      (parent as Record<string | number, unknown>)[key] = structuredClone(r.pick(WEIRD_VALUES));
      break;
    case 2: // huge or negative numbers
      (parent as Record<string | number, unknown>)[key] = r.pick([1e21, -5, 2 ** 31, 2 ** 32 + 7, 1e-9, -0, 123456789012345]);
      break;
    case 3: // rename a map key to something a shell or a parser would choke on
      if (!Array.isArray(parent)) {
        const value = (parent as Record<string, unknown>)[key as string];
        delete (parent as Record<string, unknown>)[key as string];
        // defineProperty: a plain assignment to '__proto__' would set the prototype instead.
        Object.defineProperty(parent, r.pick(WEIRD_NAMES), { value, enumerable: true, writable: true, configurable: true });
      }
      break;
    case 4: // deep nesting
      (parent as Record<string | number, unknown>)[key] = deep(1 + r.int(120));
      break;
    case 5: // copy an entry under another name (duplicate ips, macs, vlans ...)
      if (!Array.isArray(parent))
        (parent as Record<string, unknown>)[`${String(key)}-copy`] = structuredClone((parent as Record<string, unknown>)[key as string]);
      else parent.push(structuredClone(parent[key as number]));
      break;
    default: {
      // swap with another node's value
      const q = r.pick(all);
      const qp = get(data, q.slice(0, -1)) as Record<string | number, unknown>;
      const qk = q[q.length - 1];
      if (qp && typeof qp === 'object') {
        const tmp = (parent as Record<string | number, unknown>)[key];
        (parent as Record<string | number, unknown>)[key] = qp[qk];
        qp[qk] = tmp;
      }
    }
  }
}

const BOMB =
  'x1: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' +
  'x2: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nx3: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nx4: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n' +
  'x5: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nx6: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nx7: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n';
const SYNTAX = [
  ':',
  '[',
  ']',
  '{',
  '}',
  '-',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '#',
  '%',
  '@',
  '\t',
  '\n',
  ' ',
  '? ',
  '<<: ',
  '---\n',
  '\\',
  '\u0000',
  '\ufeff',
];

function mutateText(r: Rng, text: string): string {
  const at = r.int(text.length + 1);
  switch (r.int(6)) {
    case 0: // an alias bomb, at the top or inside a section
      return r.next() < 0.5 ? BOMB + text : text.replace(/\ntvds:\n/, `\ntvds:\n  bomb:\n${BOMB.replace(/^/gm, '    ')}`);
    case 1: {
      // anchor a section and alias it elsewhere (also a recursive alias)
      const withAnchor = text.replace(/\ntvds:\n/, '\ntvds: &t\n');
      return r.next() < 0.5 ? withAnchor + 'extra: *t\n' : withAnchor.replace(/\nhosts:\n/, '\nhosts:\n  loop: &l {x: *l}\n');
    }
    case 2: // insert YAML syntax
      return text.slice(0, at) + r.pick(SYNTAX) + text.slice(at);
    case 3: // delete a stretch
      return text.slice(0, at) + text.slice(at + 1 + r.int(20));
    case 4: // truncate
      return text.slice(0, at);
    default: {
      // duplicate a line (duplicate keys)
      const lines = text.split('\n');
      const i = r.int(lines.length);
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
  }
}

const EXAMPLES = ['single-host', 'paper-figure-1', 'three-hosts'].map((n) =>
  readFileSync(join(ROOT, 'examples', n, 'topology.yaml'), 'utf8'),
);

test(`fuzz: ${CASES} seeded mutations of the examples never throw and never hang`, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-fuzz-'));
  const file = join(dir, 'topology.yaml');
  let slowest = 0;
  let slowestCase = -1;
  const outcomes = { ok: 0, refused: 0 };
  try {
    for (let i = 0; i < CASES; i++) {
      const r = seededRandom(0x7d5eed + i);
      let text = r.pick(EXAMPLES);
      if (r.next() < 0.6) {
        const data = parse(text) as unknown;
        for (let n = 1 + r.int(3); n > 0; n--) mutateData(r, data);
        text = stringify(data, { aliasDuplicateObjects: false });
      }
      if (r.next() < 0.5) text = mutateText(r, text);
      writeFileSync(file, text);
      const t0 = performance.now();
      let result: ReturnType<typeof loadTopology>;
      try {
        result = loadTopology(file);
      } catch (e) {
        assert.fail(`case ${i} threw ${(e as Error)?.stack ?? String(e)}\n--- input ---\n${text.slice(0, 2000)}`);
      }
      const ms = performance.now() - t0;
      if (ms > slowest) [slowest, slowestCase] = [ms, i];
      assert.ok(ms < HANG_GUARD_MS, `case ${i} took ${ms.toFixed(0)} ms`);
      if (result.ok) {
        outcomes.ok++;
        continue;
      }
      outcomes.refused++;
      assert.ok(result.diagnostics.length > 0, `case ${i}: refused without a diagnostic`);
      for (const d of result.diagnostics) {
        assert.equal(typeof d.message, 'string');
        assert.ok(d.message.length > 0, `case ${i}: empty message`);
        assert.doesNotMatch(d.message, /undefined|\[object /, `case ${i}: ${d.message}`);
        // Nothing the user typed reaches a terminal raw: no control or bidi characters.
        assert.doesNotMatch(
          d.path + d.message,
          /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/,
          `case ${i}: ${JSON.stringify(d)}`,
        );
        assert.ok(
          Number.isInteger(d.line) && Number.isInteger(d.col) && d.line >= 1 && d.col >= 1,
          `case ${i}: position ${d.line}:${d.col}`,
        );
        assert.equal(d.file, file);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Both outcomes must occur, or the mutations are not exercising the checks.
  assert.ok(outcomes.ok > 0 && outcomes.refused > CASES / 2, JSON.stringify(outcomes));
  t.diagnostic(`fuzz: ${outcomes.ok} valid, ${outcomes.refused} refused; slowest case ${slowestCase}: ${slowest.toFixed(1)} ms`);
});
