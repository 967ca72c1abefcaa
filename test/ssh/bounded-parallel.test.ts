// The one worker pool: at most `limit` at once, results in order, and after a rejection no new
// task starts and the pool rejects only once the running ones have settled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allSettled, mapBounded } from '../../src/ssh/bounded-parallel.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

test('mapBounded: at most limit at once, results in the items order', async () => {
  let running = 0;
  let most = 0;
  const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n, i) => {
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, n));
    running--;
    return `${i}:${n}`;
  });
  assert.equal(most, 2);
  assert.deepEqual(out, ['0:5', '1:1', '2:4', '3:2', '4:3']);
});

test('mapBounded: after a rejection no new task starts, and it rejects once the running ones settled', async () => {
  const started: number[] = [];
  const finished: number[] = [];
  await assert.rejects(
    mapBounded([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      if (n === 0) throw new Error('boom');
      await tick();
      finished.push(n);
    }),
    /boom/,
  );
  // Task 0 failed at once; task 1 was running and finished before the pool rejected; none after it started.
  assert.deepEqual(started, [0, 1]);
  assert.deepEqual(finished, [1]);
});

test('allSettled: the values in order, or the first failure once every promise has settled', async () => {
  assert.deepEqual(await allSettled([Promise.resolve(1), Promise.resolve('a')]), [1, 'a']);
  let slowDone = false;
  const slow = tick().then(() => {
    slowDone = true;
  });
  await assert.rejects(allSettled([Promise.reject(new Error('first')), slow]), /first/);
  assert.ok(slowDone, 'it rejected before the slow one settled');
});
