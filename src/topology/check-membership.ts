// membership: `interval` and `onFailure` belong to `check: continual`, and continual needs an
// interval. We ask for it rather than assume a default: how often hosts are re-checked is a
// security decision. (A one-time TVD's failing host blocks the plan; see docs/decisions.md.)
import type { Check, CheckProblem } from './parts.js';

export const checkMembership: Check = (p) => {
  const out: CheckProblem[] = [];
  for (const [name, t] of p.tvds) {
    const m = t.membership;
    if (!m) continue;
    const continual = m.check === 'continual';
    if (m.interval !== undefined && !continual) {
      out.push({
        path: ['tvds', name, 'membership', 'interval'],
        message: "'interval' applies only to 'check: continual'; add that or drop the interval",
      });
    }
    if (m.onFailure !== undefined && !continual) {
      out.push({
        path: ['tvds', name, 'membership', 'onFailure'],
        message: "'onFailure' applies only to 'check: continual' (a host failing a one-time check blocks the plan); add that or drop it",
      });
    }
    if (continual && m.interval === undefined) {
      out.push({
        path: ['tvds', name, 'membership'],
        message: "missing key 'interval': 'check: continual' needs one, e.g. 'interval: 10m'",
      });
    }
  }
  return out;
};
