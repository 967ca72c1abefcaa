// `membership.interval` values (`^[1-9][0-9]{0,5}[smh]$`) and how often `verify --watch` runs. Pure.
import type { Topology } from '../topology/schema.js';

export const DEFAULT_INTERVAL = '10m';

export function intervalMs(v: string): number | undefined {
  const m = /^([1-9][0-9]{0,5})([smh])$/.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}

/** The TVDs that ask for continual checks, each with its interval in ms. */
export function continualTvds(t: Topology): { tvd: string; ms: number }[] {
  return Object.entries(t.tvds)
    .filter(([, s]) => s.membership?.check === 'continual')
    .map(([tvd, s]) => ({ tvd, ms: intervalMs(s.membership?.interval ?? DEFAULT_INTERVAL)! }))
    .sort((a, b) => (a.tvd < b.tvd ? -1 : 1));
}
