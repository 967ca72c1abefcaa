// Pure parts of the state backends: which backend a run uses, how a URL is shown without its
// password, when a write must be refused, and what a migration does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseBackend, describeBackend, publicSpec } from '../../src/state/backend-spec.js';
import { redactUrl, urlSecrets } from '../../src/topology/postgres-url.js';
import { writeRefusal } from '../../src/state/write-check.js';
import { migrationVerdict } from '../../src/state/migrate.js';
import { emptyState } from '../../src/state/store.js';
import { checkSources } from '../../src/topology/load.js';

const URL_PW = 'postgres://tvd:s3cr%40t@db.internal:5432/tvd?sslmode=require&password=other';

test('a URL is shown without its password or secret parameters', () => {
  assert.equal(redactUrl(URL_PW), 'postgres://tvd@db.internal:5432/tvd?sslmode=require');
  assert.deepEqual(urlSecrets(URL_PW).sort(), ['other', 's3cr%40t', 's3cr@t'].sort());
  assert.equal(redactUrl('mysql://x'), undefined);
  assert.equal(
    describeBackend(chooseBackend({ backend: URL_PW, env: {} })),
    'postgres://tvd@db.internal:5432/tvd?sslmode=require (workspace default)',
  );
});

test('the backend: --backend, then PG_CONN_STR, then the topology, then a saved plan; else the file', () => {
  const block = { type: 'postgres' as const, url: 'postgres://tvd@block/tvd', workspace: 'blk' };
  assert.deepEqual(chooseBackend({ env: {} }), { type: 'local', path: '.tvd/state.json' });
  assert.deepEqual(chooseBackend({ state: 's.json', env: {} }), { type: 'local', path: 's.json' });
  assert.deepEqual(chooseBackend({ block: { type: 'local', path: 'x.json' }, env: {} }), { type: 'local', path: 'x.json' });
  assert.equal((chooseBackend({ block, env: {} }) as { url: string }).url, 'postgres://tvd@block/tvd');
  assert.equal((chooseBackend({ block, env: {} }) as { workspace: string }).workspace, 'blk');
  assert.equal((chooseBackend({ block, env: { PG_CONN_STR: 'postgres://env/tvd' } }) as { url: string }).url, 'postgres://env/tvd');
  assert.equal(
    (chooseBackend({ backend: 'postgres://flag/tvd', block, env: { PG_CONN_STR: 'postgres://env/tvd' } }) as { url: string }).url,
    'postgres://flag/tvd',
  );
  assert.equal((chooseBackend({ block, workspace: 'w2', env: { TVD_WORKSPACE: 'w3' } }) as { workspace: string }).workspace, 'w2');
  assert.equal((chooseBackend({ block, env: { TVD_WORKSPACE: 'w3', PG_SCHEMA_NAME: 'ops' } }) as { schema: string }).schema, 'ops');
  assert.throws(() => chooseBackend({ backend: 'file.json', env: {} }), /--backend: expected a postgres:\/\//);
  assert.throws(
    () => chooseBackend({ state: 's.json', env: { PG_CONN_STR: URL_PW } }),
    (e: Error) => /--state names a file/.test(e.message) && !e.message.includes('s3cr'),
  );
  assert.throws(() => chooseBackend({ workspace: 'prod', env: {} }), /workspaces are for the postgres backend/);
  assert.throws(() => chooseBackend({ block: { type: 'postgres' }, env: {} }), /names no database/);
  assert.throws(() => chooseBackend({ backend: 'postgres://x/tvd', workspace: 'a b', env: {} }), /workspace "a b"/);
});

test('a saved plan records its backend without the password, and is applied against that one only', () => {
  const made = chooseBackend({ backend: URL_PW, workspace: 'prod', env: {} });
  const planned = publicSpec(made);
  assert.ok(!JSON.stringify(planned).includes('s3cr'));
  // Another machine, with the password in PGPASSWORD: the plan names the database.
  assert.deepEqual(chooseBackend({ planned, env: {} }), planned);
  assert.deepEqual(chooseBackend({ planned, env: { PG_CONN_STR: URL_PW, TVD_WORKSPACE: 'prod' } }), { ...made });
  assert.throws(
    () => chooseBackend({ planned, workspace: 'staging', env: {} }),
    /made against .*workspace prod.*would use .*workspace staging/,
  );
});

test('writes: the first raises the serial over what was read, later ones keep it, anything else lost a race', () => {
  const read = { lineage: 'L', serial: 4 };
  const mine = { lineage: 'L', serial: 5, writer: 'me' };
  assert.equal(writeRefusal(undefined, undefined, { lineage: 'L', serial: 1 }, 'me'), undefined);
  assert.equal(writeRefusal({ ...read, writer: 'x' }, read, { lineage: 'L', serial: 5 }, 'me'), undefined);
  assert.equal(writeRefusal(mine, mine, { lineage: 'L', serial: 5 }, 'me'), undefined);
  assert.match(
    writeRefusal({ lineage: 'L', serial: 5, writer: 'other' }, read, { lineage: 'L', serial: 5 }, 'me')!,
    /moved since this run read it: it was at serial 4, it is at 5/,
  );
  assert.match(
    writeRefusal({ lineage: 'L', serial: 5, writer: 'other' }, mine, { lineage: 'L', serial: 5 }, 'me')!,
    /another run rewrote serial 5/,
  );
  assert.match(writeRefusal({ lineage: 'M', serial: 4 }, read, { lineage: 'L', serial: 5 }, 'me')!, /another state .* never merged/);
  assert.match(writeRefusal({ lineage: 'L', serial: 1 }, undefined, { lineage: 'L', serial: 1 }, 'me')!, /since this run found none/);
  assert.match(writeRefusal(undefined, read, { lineage: 'L', serial: 5 }, 'me')!, /is gone/);
  assert.match(writeRefusal({ ...read, writer: 'x' }, read, { lineage: 'L', serial: 3 }, 'me')!, /back from serial 4 to 3/);
  assert.match(writeRefusal({ ...read, writer: 'x' }, read, { lineage: 'L', serial: 4 }, 'me')!, /must raise the serial/);
});

test('migration: copies into an empty target or one behind; refuses another lineage, a target ahead, an empty source', () => {
  const s = { ...emptyState('L'), serial: 3 };
  assert.deepEqual(migrationVerdict(s, emptyState()), { action: 'copy' });
  assert.deepEqual(migrationVerdict(s, { ...s, serial: 2 }), { action: 'copy' });
  assert.deepEqual(migrationVerdict(s, { ...s }), { action: 'unchanged' });
  assert.match((migrationVerdict(s, { ...emptyState('M'), serial: 1 }) as { why: string }).why, /another state \(lineage M/);
  assert.match((migrationVerdict(s, { ...s, serial: 9 }) as { why: string }).why, /target is ahead/);
  assert.match((migrationVerdict(emptyState(), emptyState()) as { why: string }).why, /holds no state/);
});

test('the topology: a backend block is checked, and a password in its URL is refused without repeating it', () => {
  const base = 'version: 1\ntvds: {t: {}}\n';
  const ok = checkSources([{ file: 't.yaml', text: `${base}backend: {type: postgres, url: "postgres://tvd@db/tvd", workspace: prod}\n` }]);
  assert.equal(ok.ok, true);
  const pw = checkSources([{ file: 't.yaml', text: `${base}backend:\n  type: postgres\n  url: "postgres://tvd:hunter2@db/tvd"\n` }]);
  assert.equal(pw.ok, false);
  const d = !pw.ok ? pw.diagnostics : [];
  assert.equal(d.length, 1);
  assert.match(`${d[0].file}:${d[0].line}:${d[0].col}: ${d[0].message}`, /t\.yaml:5:\d+: holds a password/);
  assert.ok(!JSON.stringify(d).includes('hunter2'));
  const mixed = checkSources([{ file: 't.yaml', text: `${base}backend: {type: local, url: "postgres://db/tvd"}\n` }]);
  assert.match(JSON.stringify(!mixed.ok && mixed.diagnostics), /url is for a postgres backend/);
  const unknown = checkSources([{ file: 't.yaml', text: `${base}backend: {type: s3}\n` }]);
  assert.equal(unknown.ok, false);
});
