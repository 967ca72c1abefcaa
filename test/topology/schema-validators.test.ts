// The validators generated at build time (scripts/write-validators.ts) must report exactly what a
// run-time Ajv compilation of the TypeBox schema reports, error for error (schema-check.ts reads
// instancePath, keyword, params, schema, parentSchema and data), over the broken-topology corpus,
// the examples and seeded random mutations of both documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import AjvModule, { type Options } from 'ajv/dist/2020.js';
import topologyValidator from '../../src/topology/schema-validator.js';
import capabilitiesValidator from '../../src/capabilities/schema-validator.js';
import { VALIDATORS } from '../../scripts/write-validators.js';
import { caps } from '../plan/fixtures.js';
import { seededRandom, type SeededRandom } from '../support/seeded-random.js';
import { ROOT } from './helpers.js';

type AjvClass = typeof AjvModule.default;
const Ajv2020: AjvClass = (AjvModule as unknown as { default?: AjvClass }).default ?? (AjvModule as unknown as AjvClass);
type Validate = { (data: unknown): boolean; errors?: unknown[] | null };

/** The errors as plain JSON: TypeBox's symbol keys on the run-time schema objects are no data. */
function outcome(validate: Validate, data: unknown): unknown {
  const ok = validate(data);
  return JSON.parse(JSON.stringify({ ok, errors: validate.errors ?? null }));
}

function runtime(file: keyof typeof VALIDATORS): Validate {
  const { schema, options } = VALIDATORS[file];
  return new Ajv2020(options as Options).compile(schema);
}

const WEIRD: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  70000,
  '',
  'x'.repeat(300),
  'a;b',
  '999.1.1.1',
  '198.19.1.0/24',
  [],
  {},
  [1, 1],
  ['audit', 'audit'],
  { a: 1 },
  'any',
  'tcp',
  'eth0',
];

/** The document, or none for the fixtures that are broken YAML (the parser refuses them first). */
function parsed(text: string): unknown[] {
  try {
    return [parse(text)];
  } catch {
    return [];
  }
}

function mutate(r: SeededRandom, data: unknown): unknown {
  const copy = structuredClone(data);
  const spots: [Record<string | number, unknown>, string | number][] = [];
  (function walk(v: unknown) {
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      spots.push([v as Record<string, unknown>, Array.isArray(v) ? Number(k) : k]);
      walk(x);
    }
  })(copy);
  for (let n = 1 + r.int(3); n > 0 && spots.length; n--) {
    const [parent, key] = r.pick(spots);
    if (r.chance(0.2) && !Array.isArray(parent)) delete parent[key];
    // biome-ignore lint/suspicious/noDuplicateElseIf: each r.chance() is a new draw
    else if (r.chance(0.2) && !Array.isArray(parent)) parent[r.pick(['Bad Key', 'extra', 'host', 'a'.repeat(40)])] = r.pick(WEIRD);
    else parent[key] = r.pick(WEIRD);
  }
  return copy;
}

test('the generated topology validator reports what run-time Ajv reports', () => {
  const generated = topologyValidator as Validate;
  const reference = runtime('src/topology/schema-validator.js');
  const invalid = join(ROOT, 'test/fixtures/invalid');
  const docs: unknown[] = readdirSync(invalid)
    .filter((n) => n.endsWith('.yaml'))
    .flatMap((n) => parsed(readFileSync(join(invalid, n), 'utf8')));
  const examples = readdirSync(join(ROOT, 'examples'))
    .map((d) => join(ROOT, 'examples', d, 'topology.yaml'))
    .filter((f) => readdirSync(join(f, '..')).includes('topology.yaml'))
    .map((f) => parse(readFileSync(f, 'utf8')) as unknown);
  docs.push(...examples);
  const r = seededRandom(20261126);
  for (let i = 0; i < 400; i++) docs.push(mutate(r, r.pick(examples)));
  let failing = 0;
  for (const doc of docs) {
    const want = outcome(reference, doc);
    assert.deepEqual(outcome(generated, doc), want, JSON.stringify(doc));
    if (!(want as { ok: boolean }).ok) failing++;
  }
  assert.ok(failing > 300, `only ${failing} documents were refused: the comparison saw too few errors`);
});

test('the generated capability validator reports what run-time Ajv reports', () => {
  const generated = capabilitiesValidator as Validate;
  const reference = runtime('src/capabilities/schema-validator.js');
  const valid = caps('h1', '198.18.0.11');
  const r = seededRandom(7);
  const docs: unknown[] = [valid, {}, null, []];
  for (let i = 0; i < 200; i++) docs.push(mutate(r, valid));
  for (const doc of docs) assert.deepEqual(outcome(generated, doc), outcome(reference, doc), JSON.stringify(doc));
});
