// transitivity.ts walks only the pairs the flows name (bench/plan-scale.ts: the cubic walk took
// 80 s for 1,000 TVDs). Here it must say exactly what the plain cubic definition says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowSpec, Topology } from '../../src/topology/schema.js';
import { flowMatrix, type FlowMatrix } from '../../src/plan/flow-matrix.js';
import { transitivityWarnings } from '../../src/plan/transitivity.js';

function cubic(matrix: FlowMatrix): string[] {
  const out: string[] = [];
  const t = matrix.tvds;
  const passes = (a: string, b: string) => matrix.get(a, b).connection !== 'closed';
  for (const a of t) {
    for (const b of t) {
      if (a === b || passes(a, b)) continue;
      const via = t.filter((c) => c !== a && c !== b && passes(a, c) && passes(c, b));
      if (via.length)
        out.push(
          `${a} -> ${b} is closed, but information can flow from ${a} to ${b} through ${via.join(', ')} (${a} -> ${via[0]} and ${via[0]} -> ${b} are not closed)`,
        );
    }
  }
  return out;
}

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

test('transitivity warnings equal the cubic definition on random matrices, both defaults', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const rnd = random(seed);
    const n = 2 + Math.floor(rnd() * 9);
    const names = Array.from({ length: n }, (_, i) => `t${(i * 7) % n}x${i}`);
    const flows: FlowSpec[] = [];
    for (let k = Math.floor(rnd() * n * 2); k > 0; k--) {
      const a = names[Math.floor(rnd() * n)];
      const b = names[Math.floor(rnd() * n)];
      const connection = (['open', 'closed', 'controlled'] as const)[Math.floor(rnd() * 3)];
      flows.push(rnd() < 0.5 ? { from: a, to: b, connection } : { between: [a, b], connection });
    }
    const t: Topology = {
      version: 1,
      defaults: { flow: rnd() < 0.5 ? 'open' : 'closed' },
      tvds: Object.fromEntries(names.map((x) => [x, {}])),
      flows,
    };
    const m = flowMatrix(t);
    assert.deepEqual(transitivityWarnings(t, m), cubic(m), `seed ${seed}: ${JSON.stringify(t)}`);
  }
});
