// The flow matrix: each flow well formed (from+to or between, never a TVD with itself,
// `allow` only where it means something), open and controlled flows only between TVDs with
// subnets, and no ordered pair of TVDs given two different rules.
import type { AllowRule, FlowSpec } from './schema.js';
import type { Check, CheckProblem, Parts } from './parts.js';

/** One direction of the matrix, as a flow defines it. */
export interface DirectedFlow {
  from: string;
  to: string;
  connection: FlowSpec['connection'];
  /** Canonical text of the allow rules, to compare rule sets regardless of order. */
  rules: string;
}

export function directions(f: FlowSpec): DirectedFlow[] {
  const rules = canonicalRules(f.allow ?? []);
  if (f.between && f.between.length === 2) {
    const [a, b] = f.between;
    return [
      { from: a, to: b, connection: f.connection, rules },
      { from: b, to: a, connection: f.connection, rules },
    ];
  }
  if (f.from !== undefined && f.to !== undefined) return [{ from: f.from, to: f.to, connection: f.connection, rules }];
  return [];
}

function canonicalRules(rules: AllowRule[]): string {
  return [...new Set(rules.map((r) => `${r.proto}${r.port === undefined ? '' : `/${r.port}`}`))].sort().join(',');
}

export const checkFlows: Check = (p) => {
  const out: CheckProblem[] = [];
  const subnetOf = new Map(p.tvds.map(([name, t]) => [name, t.subnet] as const));
  const seen = new Map<string, { index: number; flow: DirectedFlow }>();

  for (const [i, f] of p.flows) {
    const at = ['flows', i];
    const directional = f.from !== undefined || f.to !== undefined;
    if (f.between !== undefined && directional) {
      out.push({ path: at, message: "give either 'from' and 'to' (one direction) or 'between' (both), not both" });
      continue;
    }
    if (f.between === undefined && !directional) {
      out.push({ path: at, message: "a flow needs 'from' and 'to' (one direction) or 'between' (both)" });
      continue;
    }
    if (directional && (f.from === undefined || f.to === undefined)) {
      out.push({ path: at, message: `missing key '${f.from === undefined ? 'from' : 'to'}': a directional flow has both 'from' and 'to'` });
      continue;
    }
    if (f.between && f.between[0] === f.between[1]) {
      out.push({
        path: [...at, 'between', 1],
        message: `'${f.between[1]}' is named twice; a flow joins two different TVDs (inside a TVD traffic is always open)`,
      });
      continue;
    }
    if (f.from !== undefined && f.from === f.to) {
      out.push({
        path: [...at, 'to'],
        message: `'${f.to}' is both 'from' and 'to'; a flow joins two different TVDs (inside a TVD traffic is always open)`,
      });
      continue;
    }
    if (f.allow !== undefined && f.connection !== 'controlled') {
      out.push({ path: [...at, 'allow'], message: `'allow' is only for controlled connections; this one is ${f.connection}` });
    }
    if (f.connection === 'controlled' && (f.allow === undefined || f.allow.length === 0)) {
      out.push({ path: at, message: "a controlled connection needs 'allow' with at least one rule; use 'closed' to forward nothing" });
    }
    f.allow?.forEach((r, j) => {
      if (r.port !== undefined && r.proto !== 'tcp' && r.proto !== 'udp') {
        out.push({ path: [...at, 'allow', j, 'port'], message: `a port applies only to tcp and udp, not ${r.proto}` });
      }
    });
    if (f.connection !== 'closed') {
      const ends: [string, (string | number)[]][] = f.between
        ? f.between.map((t, j) => [t, [...at, 'between', j]])
        : [
            [f.from!, [...at, 'from']],
            [f.to!, [...at, 'to']],
          ];
      for (const [tvd, path] of ends) {
        if (subnetOf.has(tvd) && subnetOf.get(tvd) === undefined && !p.faulty(['tvds', tvd, 'subnet'])) {
          out.push({
            path,
            message: `TVD '${tvd}' has no subnet; ${f.connection === 'open' ? 'an open' : 'a controlled'} connection routes between subnets, so give it one`,
          });
        }
      }
    }
    for (const d of directions(f)) {
      const key = `${d.from}\0${d.to}`;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, { index: i, flow: d });
        continue;
      }
      if (first.flow.connection !== d.connection || first.flow.rules !== d.rules) {
        const what =
          first.flow.connection !== d.connection
            ? `${d.connection} here but ${first.flow.connection} in the flow at {also}`
            : 'given different allow rules here and in the flow at {also}';
        out.push({
          path: at,
          also: ['flows', first.index],
          message: `contradicts an earlier flow: ${d.from} -> ${d.to} is ${what}; keep one`,
        });
        break;
      }
    }
  }
  out.push(...defaultOpenNeedsSubnets(p, seen));
  return out;
};

/** With `defaults.flow: open`, every pair no flow names is open, so those TVDs need subnets. */
function defaultOpenNeedsSubnets(p: Parts, named: Map<string, unknown>): CheckProblem[] {
  if (p.defaults.flow !== 'open') return [];
  const out: CheckProblem[] = [];
  const names = [...p.tvdNames];
  for (const [name, t] of p.tvds) {
    if (t.subnet !== undefined || p.faulty(['tvds', name, 'subnet'])) continue;
    const peer = names.find((o) => o !== name && (!named.has(`${name}\0${o}`) || !named.has(`${o}\0${name}`)));
    if (peer !== undefined) {
      out.push({
        path: ['tvds', name],
        message: `has no subnet, but defaults.flow is open, so it is connected to '${peer}'; give it a subnet, or close its flows`,
      });
    }
  }
  return out;
}
