// The committed schemas/*.json are what the TypeBox model produces, so they cannot drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { schemaFiles } from '../../scripts/schema-files.js';
import { ROOT } from './helpers.js';

test('schemas/*.json on disk equal schemaFiles() (run `npm run build` to regenerate)', () => {
  const files = schemaFiles();
  assert.deepEqual(
    readdirSync(join(ROOT, 'schemas'))
      .filter((n) => n.endsWith('.json'))
      .sort(),
    Object.keys(files).sort(),
  );
  for (const [name, text] of Object.entries(files)) {
    assert.equal(readFileSync(join(ROOT, 'schemas', name), 'utf8'), text, `schemas/${name} is stale`);
  }
});

test('the topology schema has an $id and is 2020-12, for editors with yaml-language-server', () => {
  const s = JSON.parse(schemaFiles()['topology.schema.json']) as Record<string, unknown>;
  assert.equal(s.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.match(String(s.$id), /^https:\/\//);
});
