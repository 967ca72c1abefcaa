// The channel limit: never more than `max` tasks at once, every task runs, waiters go in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelLimit } from '../../src/ssh/channel-limit.js';

test('at most max at once, in order, failures release their slot', async () => {
  const limit = new ChannelLimit(4);
  const started: number[] = [];
  const gates: (() => void)[] = [];
  let peak = 0;
  const tasks = Array.from({ length: 10 }, (_, i) =>
    limit.run(async () => {
      started.push(i);
      peak = Math.max(peak, limit.inUse);
      await new Promise<void>((r) => gates.push(r));
      if (i === 2) throw new Error('boom');
      return i;
    }),
  );
  const settled = Promise.allSettled(tasks);
  // Let the first four start, then release one at a time.
  for (let released = 0; released < 10; released++) {
    await new Promise((r) => setImmediate(r));
    assert.ok(started.length <= Math.min(10, released + 4), `started ${started.length} after ${released} releases`);
    gates.shift()!();
  }
  const results = await settled;
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(peak, 4);
  assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
  assert.equal(limit.inUse, 0);
});
