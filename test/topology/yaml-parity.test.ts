// The fast parser (js-yaml with our YAML 1.2 core schema) and the position-keeping one
// (eemeli/yaml) must agree: on every input both give identical plain values, or both refuse.
// If they did not, a file could pass on the fast path and be read differently elsewhere, or an
// error could be found by one and not be placeable by the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFast } from '../../src/topology/parse-fast.js';
import { parseWithPositions, positionOf, slowValue } from '../../src/topology/positions.js';

const scalars = [
  'no',
  'yes',
  'on',
  'off',
  'y',
  'n',
  'NO',
  'Yes',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'False',
  'FALSE',
  '0x1F',
  '0x1f',
  '0X1F',
  '0o17',
  '0o8',
  '0b101',
  '1e3',
  '1E3',
  '1e+3',
  '1e-3',
  '1.5e3',
  '.5',
  '5.',
  '-.5',
  '+1',
  '-1',
  '+0x1',
  '010',
  '0',
  '-0',
  '+0',
  '1_000',
  '1,000',
  '99999999999999999999999',
  '1e400',
  '-1e400',
  '.inf',
  '.Inf',
  '.INF',
  '-.inf',
  '+.inf',
  '.nan',
  '.NaN',
  '.NAN',
  'nan',
  'inf',
  '~',
  'null',
  'Null',
  'NULL',
  'nULL',
  '',
  '"~"',
  "'null'",
  '00:16:3e:00:01:10',
  '00:16:3E:0A:0B:0C',
  '2001:db8::1',
  '::1',
  '198.19.1.10',
  '198.19.1.0/24',
  '12:30',
  '1:30:00',
  '190:20:30',
  '2026-11-26',
  '2026-11-26T10:00:00Z',
  '2026-11-26 10:00:00.5 +01:00',
  '2026-1-2',
  '"quoted"',
  "'single ''quoted'''",
  '"\\x41\\u00e9\\t"',
  '"\\N"',
  'plain with spaces',
  'a#b',
  'a #comment',
  '!!str 5',
  '!!int 5',
  '!!int "5"',
  '!!float 1',
  '!!bool true',
  '!!null ""',
  '!!int x',
  '!!binary aGk=',
  '!!timestamp 2026-11-26',
  '!!set {a, b}',
  '!foo 5',
  '!<tag:yaml.org,2002:str> 5',
  '|\n  line1\n  line2\n',
  '>\n  folded\n  text\n',
  '|-\n  x\n',
  '>+\n  x\n\n',
  '[1, 2, 3]',
  '{a: 1, b: [x, y]}',
  '[]',
  '{}',
  '[a, [b, [c]]]',
  '- 1',
  '"unterminated',
  "'also",
  '[1, 2',
  '{a: 1',
  '@foo',
  '`foo',
];

const documents = [
  'version: 1\ntvds:\n  web: {subnet: 198.19.1.0/24}\n',
  'a: 1\na: 2\n',
  '{a: 1, a: 1}\n',
  'a:\n  b: 1\n  b: 1\n',
  'a: &x [1, 2]\nb: *x\n',
  'a: &x {k: v}\nb: *x\nc: *x\n',
  'a: *nope\n',
  'a: &x [*x]\n',
  'a: &x\n  b: *x\n',
  '<<: {b: 1}\na: 2\n',
  'base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n',
  '--- \na: 1\n---\nb: 2\n',
  '---\na: 1\n...\n',
  '%YAML 1.2\n---\na: yes\n',
  '%YAML 1.1\n---\na: yes\n',
  '%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n',
  '\ufeffa: 1\n',
  'a:\tb\n',
  'a:\n\t- 1\n',
  '\ta: 1\n',
  'a: b: c\n',
  'a:\n  - 1\n - 2\n',
  'a:\n- 1\n- 2\n',
  '- a\n- b: 1\n  c: 2\n',
  '- - - x\n',
  '? a\n: 1\n',
  '? |\n  long key\n: 1\n',
  'key with spaces: 1\n"quoted key": 2\n\'single\': 3\n',
  '101: x\n0x10: y\ntrue: z\n',
  '"a\nb": 1\n',
  'a: "multi\n  line"\n',
  'a: plain\n  continued\n',
  '# only a comment\n',
  '',
  '   \n\n',
  'a: 1 # comment\n# comment\nb: 2\n',
  'a: [1, 2,]\n',
  'a: {b: 1,}\n',
  'a: [1 2]\n',
  'a: {b}\n',
  '[a, b]: 1\n',
  '{a: 1}: x\n',
  '? [a, b]\n: 1\n',
  '? - a\n: 1\n',
  'a: &k [1]\n*k : 2\n',
  '{[a]: 1}\n',
  'a: "x]: y"\n',
  "a: 'x}: y'\n",
  '- ? a\n  : 1\n',
  'a: !!map {b: 1}\nc: !!seq [1]\n',
  'a: !!str\n',
  'a: "\\xZZ"\n',
  "a: 'it's'\n",
  'a: - 1\n',
  '- a\nb: 1\n',
  'a: 1\n  b: 2\n',
  'a: |\n  x\n b: 1\n',
  'a: >-\n\n  folded\n\n  para\n',
  'a: "tab\\there"\n',
  'a: \u00e9t\u00e9\nb: "\u2603"\n',
  'a: !!int 0x10\nb: !!float 1e3\n',
  'x: ' + '['.repeat(63) + ']'.repeat(63) + '\n',
  'x: ' + '['.repeat(64) + ']'.repeat(64) + '\n',
  'x: ' + '['.repeat(200) + ']'.repeat(200) + '\n',
  'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
  'a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n',
];

const corpus = [...scalars.map((s) => `a: ${s}\n`), ...scalars.map((s) => `- ${s}\n`), ...documents];

function agree(text: string): void {
  const fast = parseFast(text);
  const slow = slowValue(text);
  const show = (r: { ok: boolean; value?: unknown }) => (r.ok ? `accepts ${JSON.stringify(r.value)}` : 'refuses');
  assert.equal(fast.ok, slow.ok, `${JSON.stringify(text)}: js-yaml ${show(fast)}, eemeli/yaml ${show(slow)}`);
  if (fast.ok && slow.ok) assert.deepStrictEqual(fast.value, slow.value, JSON.stringify(text));
}

test(`both parsers agree on a corpus of ${corpus.length} YAML texts`, () => {
  const failures: string[] = [];
  for (const text of corpus) {
    try {
      agree(text);
    } catch (e) {
      failures.push((e as Error).message.split('\n')[0]);
    }
  }
  assert.deepEqual(failures, []);
});

test('YAML 1.2 core: no/yes/on stay strings, MACs and IPv6 stay strings, 010 is ten, timestamps stay strings', () => {
  const v = (s: string) => {
    const r = parseFast(`a: ${s}\n`);
    assert.ok(r.ok);
    return (r.value as { a: unknown }).a;
  };
  assert.equal(v('no'), 'no');
  assert.equal(v('yes'), 'yes');
  assert.equal(v('on'), 'on');
  assert.equal(v('0x1F'), 31);
  assert.equal(v('1e3'), 1000);
  assert.equal(v('010'), 10);
  assert.equal(v('0o10'), 8);
  assert.equal(v('~'), null);
  assert.equal(v('00:16:3e:00:01:10'), '00:16:3e:00:01:10');
  assert.equal(v('2001:db8::1'), '2001:db8::1');
  assert.equal(v('2026-11-26'), '2026-11-26');
  assert.equal(v('12:30'), '12:30');
  assert.equal(v('1_000'), '1_000');
  assert.equal(v('<<'), '<<');
});

test('keys that are not text are looked up as js-yaml names them (String(key)), so positions still resolve', () => {
  // eemeli/yaml's toJS would name a null key '' where js-yaml says 'null'; we never use toJS
  // for data, only to compare, and the position lookup follows js-yaml.
  const p = parseWithPositions('requires:\n  ~: any\n  101: x\n');
  assert.deepEqual(positionOf(p, ['requires', 'null'], 'key'), { line: 2, col: 3, endLine: 2, endCol: 4 });
  assert.deepEqual(positionOf(p, ['requires', '101'], 'key'), { line: 3, col: 3, endLine: 3, endCol: 6 });
  const fast = parseFast('requires:\n  ~: any\n');
  assert.ok(fast.ok);
  assert.deepEqual(fast.value, { requires: { null: 'any' } });
});
