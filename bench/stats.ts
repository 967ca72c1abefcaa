// Medians and spreads of repeated measurements: this machine is shared, so one run says little.

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** "min–max" of the runs, formatted with `fmt`. */
export function spread(xs: number[], fmt: (x: number) => string): string {
  if (xs.length === 0) return '–';
  return `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;
}

export const secs = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '–');
export const millis = (ms: number) => (Number.isFinite(ms) ? `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms` : '–');
export const mib = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MB` : '–');
export const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '–');
