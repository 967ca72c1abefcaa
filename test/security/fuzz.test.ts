// The fuzz benchmark's smaller, fixed-seed run (bench/fuzz.ts; `npm run fuzz` runs 10,000): bad
// topologies through loadTopology, the planner with generated capability models, and the
// renderer, in-process. None throws, takes over 1 s, or opens a connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAILURES, runFuzz } from '../../bench/fuzz.js';
import { reportRow } from '../reliability/fault-kit.js';

test('500 bad topologies (seed 20261126): no throw, none over 1 s, no connection', (t) => {
  const r = runFuzz({ count: 500, seed: 20261126 });
  const failed = FAILURES.reduce((s, o) => s + r.outcomes[o], 0);
  reportRow(t, {
    area: 'bad input',
    badInputs: r.count,
    note: `fuzz: ${r.outcomes['refused by validation']} refused by validation, ${r.outcomes['refused by the planner']} by the planner, ${r.outcomes['planned and rendered']} planned`,
  });
  assert.deepEqual(r.failures, []);
  assert.equal(failed, 0);
  // The generator reaches every stage, so all three are exercised.
  assert.ok(
    r.outcomes['refused by validation'] > 0 && r.outcomes['refused by the planner'] > 0 && r.outcomes['planned and rendered'] > 0,
    JSON.stringify(r.outcomes),
  );
});
