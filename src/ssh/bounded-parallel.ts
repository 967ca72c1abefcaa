// Run one task per item with at most `limit` running at once; results in the items' order.
// Host-facing callers catch inside `fn`, so that one host's failure never stops the others. A task
// that does reject stops new ones from starting, and the pool rejects with its error only once
// the running ones have settled: nothing is still at work when the caller reacts (the lab's
// build relies on it before it takes a half-made lab down).

/** Hosts talked to at once, unless the caller (the CLI's --parallelism) says otherwise. */
export const DEFAULT_HOST_PARALLELISM = 10;

/** Promise.all that rejects, with the first failure, only once every promise has settled. */
export async function allSettled<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises as readonly Promise<unknown>[]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
