// Run one task per item with at most `limit` running at once; results in the items' order.
// Tasks are expected to settle on their own; a rejection is the caller's to catch inside `fn`.

/** Hosts talked to at once, unless the caller (the CLI's --parallelism) says otherwise. */
export const DEFAULT_HOST_PARALLELISM = 10;

export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
