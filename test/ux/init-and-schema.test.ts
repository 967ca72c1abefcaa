// `tvd init` gives a starter topology that validates and whose first line points editors at the
// schema; the schema explains every field (description and example) for hover help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tvd } from '../support/tvd-cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('tvd init writes a valid starter topology whose first line is the yaml-language-server modeline', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-init-'));
  try {
    const target = join(dir, 'infra');
    const r = await tvd(['init', target]);
    assert.equal(r.code, 0, r.stderr);
    const file = join(target, 'topology.yaml');
    const text = readFileSync(file, 'utf8');
    const m = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text);
    assert.ok(m, text.split('\n')[0]);
    const schema = resolve(dirname(file), m[1]);
    assert.ok(existsSync(schema), `the modeline points at ${schema}, which exists`);
    assert.equal(JSON.parse(readFileSync(schema, 'utf8')).title, 'tvd topology');
    const v = await tvd(['validate', file]);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /^Valid: 2 TVDs, 1 flow, 1 host, 2 VMs\.\n$/);

    const again = await tvd(['init', target]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists; pass --force to overwrite it/);
    const url = 'https://example.org/tvd/topology.schema.json';
    const forced = await tvd(['init', target, '--force', '--schema', url]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.ok(readFileSync(file, 'utf8').startsWith(`# yaml-language-server: $schema=${url}\n`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every field of the topology schema has a description and an example (hover help)', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/topology.schema.json'), 'utf8'));
  const missing: string[] = [];
  const walk = (node: Record<string, unknown>, path: string) => {
    const check = (v: Record<string, unknown>, p: string) => {
      if (!v.description) missing.push(`${p}: description`);
      if (v.examples === undefined) missing.push(`${p}: examples`);
      walk(v, p);
    };
    for (const [k, v] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) check(v, `${path}.${k}`);
    for (const v of Object.values((node.patternProperties ?? {}) as Record<string, Record<string, unknown>>)) check(v, `${path}.*`);
    if (node.items) walk(node.items as Record<string, unknown>, `${path}[]`);
    for (const alt of (node.anyOf ?? []) as Record<string, unknown>[]) walk(alt, path);
  };
  walk(schema, '');
  assert.deepEqual(missing, []);
});
