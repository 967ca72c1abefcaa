// `tvd plan --json` writes its plan in pieces (src/cli/json-pieces.ts); the bytes must be those of
// JSON.stringify(plan, null, 2) + '\n', for random values and for a real plan of 100 hosts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPieces } from '../../src/cli/json-pieces.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { capabilitiesFor, fleetOf, generateTopology } from '../../bench/generate-topology.js';
import { emptyState } from '../plan/fixtures.js';

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function value(rnd: () => number, depth: number): unknown {
  switch (Math.floor(rnd() * (depth > 3 ? 6 : 9))) {
    case 0:
      return null;
    case 1:
      return rnd() < 0.5;
    case 2:
      return Math.floor(rnd() * 1e6) - 5e5;
    case 3:
      return ['', 'a', 'line\nbreak', 'ü "q" \\', '\u2028', '😀'][Math.floor(rnd() * 6)];
    case 4:
      return [undefined, NaN, () => 1, new Date(0)][Math.floor(rnd() * 4)];
    case 5:
      return [];
    case 6:
    case 7: {
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 5); i > 0; i--)
        o[['b', 'a', '10', '2', 'é', '"k"', 'z'][Math.floor(rnd() * 7)]] = value(rnd, depth + 1);
      return o;
    }
    default:
      return Array.from({ length: Math.floor(rnd() * (depth === 1 ? 600 : 4)) }, () => value(rnd, depth + 1));
  }
}

test('jsonPieces joined is JSON.stringify(value, null, 2) plus a newline, on random values', () => {
  for (let seed = 1; seed <= 3000; seed++) {
    const v = value(random(seed), 0);
    assert.equal([...jsonPieces(v)].join(''), JSON.stringify(v, null, 2) + '\n', `seed ${seed}`);
  }
});

test('jsonPieces joined is the JSON text of a whole plan (100 hosts from nothing: every action)', () => {
  const topology = generateTopology(fleetOf(100));
  const capabilities = Object.fromEntries(capabilitiesFor(topology).map((c) => [c.host, c]));
  const { plan } = buildPlan({ topology, topologyDigest: 'x', capabilities, state: emptyState(), hookDigest: 'h' });
  assert.ok(plan.actions.length > 1000 && plan.warnings.length > 0);
  assert.equal([...jsonPieces(plan)].join(''), JSON.stringify(plan, null, 2) + '\n');
});
