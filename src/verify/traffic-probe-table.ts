// The truth table of `tvd verify --probe`, beside the flow matrix, as text and as JSON. Pure.
// Rows send, columns receive. A cell of the observed table says what got through between the
// TVDs' probes: `all`, `none`, or the kinds that did (`ping`, a port); `!` marks a cell where
// something differs from the matrix, `?` a pair no probe covered.
import type { Topology } from '../topology/schema.js';
import { flowMatrix } from '../plan/flow-matrix.js';
import { cellText, type MatrixColors } from '../graph/matrix-text.js';
import type { ProbeEndpoint } from './traffic-probe-plan.js';
import { matches, type CheckResult, type ProbeReport } from './run-traffic-probe.js';

const kindLabel = (probe: string) => (probe === 'icmp' ? 'ping' : probe.slice(4));
const where = (e: ProbeEndpoint) => `${e.tvd}@${e.host} (${e.address})`;

/** One line per check that differs from the matrix. */
export function mismatchLine(r: ProbeReport, c: CheckResult): string {
  const [a, b] = [r.endpoints[c.from], r.endpoints[c.to]];
  const what =
    c.outcome === 'refused'
      ? 'refused: something on the path or at the probe answered with a reset (every probe listens on every port tried)'
      : c.observed
        ? 'got through'
        : c.outcome === 'unreachable'
          ? 'unreachable'
          : 'got no answer';
  return `${where(a)} -> ${where(b)} ${c.probe}: the matrix says ${c.expected ? 'open' : 'blocked'}, ${what}`;
}

function observedCell(r: ProbeReport, from: string, to: string): { text: string; bad: boolean } {
  const cs = r.checks.filter((c) => r.endpoints[c.from].tvd === from && r.endpoints[c.to].tvd === to);
  if (cs.length === 0) return { text: from === to ? '-' : '?', bad: false };
  const kinds = [...new Set(cs.map((c) => c.probe))];
  const through = kinds.filter((k) => cs.some((c) => c.probe === k && c.observed));
  const partial = through.filter((k) => cs.some((c) => c.probe === k && !c.observed));
  const got =
    through.length === 0
      ? 'none'
      : through.length === kinds.length && partial.length === 0
        ? 'all'
        : through.map((k) => `${kindLabel(k)}${partial.includes(k) ? '~' : ''}`).join(',');
  const bad = cs.some((c) => !matches(c));
  return { text: bad ? `${got}!` : got, bad };
}

function grid(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows].map((cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}

export function probeText(t: Topology, r: ProbeReport, c: MatrixColors): string {
  const m = flowMatrix(t);
  const out: string[] = [];
  const hosts = new Set(r.endpoints.map((e) => e.host));
  out.push(
    c.bold(
      `Probes: ${r.endpoints.length} on ${hosts.size} ${hosts.size === 1 ? 'host' : 'hosts'}, each listening on TCP ${r.ports.join(', ')}`,
    ),
  );
  for (const e of r.endpoints)
    out.push(
      `  ${e.tvd.padEnd(12)} ${e.host.padEnd(12)} ${e.name.padEnd(10)} ${e.address}/${e.prefix}${e.gateway ? ` via ${e.gateway}` : ''}`,
    );
  out.push('');
  const header = ['from \\ to', ...m.tvds];
  const expected = grid(
    header,
    m.tvds.map((a) => [a, ...m.tvds.map((b) => cellText(m.get(a, b)))]),
  );
  const cells = m.tvds.map((a) => m.tvds.map((b) => observedCell(r, a, b)));
  const observed = grid(
    header,
    m.tvds.map((a, i) => [a, ...cells[i].map((x) => x.text)]),
  );
  const left = Math.max('The flow matrix'.length, ...expected.map((l) => l.length)) + 4;
  out.push(c.bold('The flow matrix'.padEnd(left) + 'What the probes saw'));
  // Painted after padding, so that escape codes do not count towards the width.
  const paint = (line: string, i: number) => (i === 0 ? c.bold(line) : /!/.test(line) ? c.red(line) : line);
  expected.forEach((l, i) => out.push(l.padEnd(left) + paint(observed[i], i)));
  out.push('', c.dim('Rows send, columns receive. Matrix: 1 open, 0 closed, P controlled (the kinds listed pass).'));
  out.push(
    c.dim('Seen: all, none, or what got through (ping, TCP ports; ~ on some probe pairs only); ! differs from the matrix, ? not probed.'),
  );
  const bad = r.checks.filter((x) => !matches(x));
  if (bad.length) {
    out.push('', c.red(c.bold('Differences from the matrix:')));
    for (const x of bad) out.push(c.red(`  ${mismatchLine(r, x)}`));
  }
  if (r.unprobed.length) {
    out.push('', c.yellow('Not probed:'));
    for (const u of r.unprobed) out.push(c.yellow(`  ${u.from} -> ${u.to}: ${u.reason}`));
  }
  for (const x of r.removed) out.push('', c.yellow(`host ${x.host}: removed probes an earlier run left behind: ${x.names.join(', ')}`));
  for (const h of r.unconfirmed)
    out.push('', c.yellow(`host ${h}: did not confirm that its probes are gone; the next tvd verify or plan removes any left behind`));
  out.push('');
  const summary = `${r.checks.length} checks between ${r.endpoints.length} probes on ${hosts.size} ${hosts.size === 1 ? 'host' : 'hosts'}`;
  out.push(
    bad.length === 0
      ? c.green(`${summary}: all match the flow matrix.`)
      : c.red(`${summary}: ${bad.length} ${bad.length === 1 ? 'differs' : 'differ'} from the flow matrix.`),
  );
  return out.join('\n') + '\n';
}

/** The JSON form: the probes, the matrix, every check with what was expected and seen. */
export function probeJson(t: Topology, r: ProbeReport) {
  const m = flowMatrix(t);
  const end = (e: ProbeEndpoint) => ({ tvd: e.tvd, host: e.host, probe: e.name, address: e.address });
  return {
    probes: r.endpoints.map((e) => ({
      ...end(e),
      bridge: e.bridge,
      prefix: e.prefix,
      mac: e.mac,
      ...(e.gateway ? { gateway: e.gateway } : {}),
    })),
    ports: r.ports,
    matrix: m.tvds.flatMap((from) => m.tvds.filter((to) => to !== from).map((to) => ({ from, to, ...m.get(from, to) }))),
    checks: r.checks.map((c) => ({
      from: end(r.endpoints[c.from]),
      to: end(r.endpoints[c.to]),
      probe: c.probe,
      expected: c.expected,
      observed: c.observed,
      outcome: c.outcome,
      match: matches(c),
    })),
    mismatches: r.checks.filter((c) => !matches(c)).length,
    unprobed: r.unprobed,
    removed: r.removed,
    unconfirmed: r.unconfirmed,
  };
}
