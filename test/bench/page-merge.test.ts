// `npm run bench -- --only X` keeps the page's other sections and their target rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keptSections } from '../../bench/page-merge.js';

const page = `# Benchmarks

intro

## Targets

| target | wanted | measured |  |
| --- | --- | --- | --- |
| Data plane: RTT | ≤ +15% | +3% | met |
| Data plane on real Xen: RTT | ≤ +15% | +27% | **missed** |
| Plan at scale: time | ≤ 1 s | 0.7 s | met |

## Plan at scale

Command: x

body one

## Data plane

Command: y

## Data plane on real Xen

Command: z
`;

test('sections not re-made are kept whole, with their own target rows only', () => {
  const k = keptSections(page, ['Data plane on real Xen']);
  assert.deepEqual([...k.sections.keys()], ['Plan at scale', 'Data plane']);
  assert.equal(k.sections.get('Plan at scale'), '## Plan at scale\n\nCommand: x\n\nbody one');
  assert.deepEqual(k.targetRows.get('Data plane'), ['| Data plane: RTT | ≤ +15% | +3% | met |']);
  assert.equal(k.targetRows.get('Data plane on real Xen'), undefined);
  assert.deepEqual(k.targetRows.get('Plan at scale'), ['| Plan at scale: time | ≤ 1 s | 0.7 s | met |']);
});
