// The shortest edit between two sequences (the lines of a text, the members of a list), as a
// run of kept, removed and added items in order. Longest common subsequence, after trimming
// the common head and tail, which is all that differs in most plans (one rule, one line).

export type Edit<T> = { op: 'keep'; item: T } | { op: 'remove'; item: T } | { op: 'add'; item: T };

export function sequenceDiff<T>(before: readonly T[], after: readonly T[], key: (x: T) => string = String): Edit<T>[] {
  const a = before.map(key);
  const b = after.map(key);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;
  // lcs[i][j]: the longest common subsequence of a[head+i..] and b[head+j..] (the middle only).
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[head + i] === b[head + j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: Edit<T>[] = [];
  for (let k = 0; k < head; k++) out.push({ op: 'keep', item: after[k] });
  let [i, j] = [0, 0];
  while (i < n || j < m) {
    if (i < n && j < m && a[head + i] === b[head + j]) {
      out.push({ op: 'keep', item: after[head + j] });
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] > lcs[i + 1][j])) {
      out.push({ op: 'add', item: after[head + j++] });
    } else {
      out.push({ op: 'remove', item: before[head + i++] });
    }
  }
  for (let k = b.length - tail; k < b.length; k++) out.push({ op: 'keep', item: after[k] });
  return out;
}
