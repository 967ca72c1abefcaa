// What the fault tests share: a small one-TVD topology for a lab, `tvd` run as a child whose
// progress lines can be waited for, a gate that holds a host's bundle at its first `xl create`,
// the check that the state is valid and true to the hosts, and the row each test reports.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { hostExec, type LabInfo } from '../../lab/api.js';
import { hostProcesses } from '../../lab/sshd-control.js';
import { renderManifestScript, attrsDigest } from '../../src/apply/render/index.js';
import { parseManifest, type Manifest } from '../../src/refresh/manifest.js';
import { addressKey, matchesAddress, parseAddress } from '../../src/address/address.js';
import { stateProblems } from '../../src/state/check-state.js';
import type { State } from '../../src/state/state.js';
import type { Topology } from '../../src/topology/schema.js';
import assert from 'node:assert/strict';
import { TVD_MAIN, tvd, type CliOptions, type CliResult } from '../support/tvd-cli.js';

/** After a fault: apply again, then the plan must be empty and verify clean. Returns the apply. */
export async function convergeAgain(path: string, args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const again = await tvd(['apply', path, '--auto-approve', ...args], opts);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  const plan = await tvd(['plan', path, '--detailed-exitcode', ...args], opts);
  assert.equal(plan.code, 0, `plan after the converging apply must be empty:\n${plan.stdout}${plan.stderr}`);
  const verify = await tvd(['verify', path, ...args], opts);
  assert.equal(verify.code, 0, `verify after the converging apply must be clean:\n${verify.stdout}${verify.stderr}`);
  return again;
}

/** One TVD over the given hosts (default: all), `vmsPerHost` running VMs on each. */
export function oneTvd(lab: LabInfo, vmsPerHost: number, hosts = lab.hosts.map((h) => h.name)): Topology {
  const t: Topology = { version: 1, tvds: { t: { subnet: '198.19.1.0/24' } }, hosts: {}, vms: {} };
  let ip = 10;
  for (const name of hosts) {
    const h = lab.hosts.find((x) => x.name === name)!;
    t.hosts![name] = { address: h.address, uplink: 'eth0', segment: h.segment };
    for (let i = 0; i < vmsPerHost; i++)
      t.vms![`${name}-v${i}`] = { host: name, memory: 128, start: true, nics: [{ tvd: 't', ip: `198.19.1.${ip++}` }] };
  }
  return t;
}

/** One line of `tvd apply --json`: an ApplyEvent, or the summary. */
export interface ApplyEventLine {
  type: string;
  host?: string;
  address?: string;
  action?: string;
  [k: string]: unknown;
}

/** `apply --json` waiting for the step-begin of the host's first VM. */
export const firstVmBegins = (host: string) => (e: ApplyEventLine) =>
  e.type === 'step-begin' && e.host === host && e.address !== undefined && matchesAddress({ host, type: 'vm' }, parseAddress(e.address));

export interface RunningTvd {
  child: ChildProcess;
  /** With `apply --json`: resolves with the first event (past or future) that pred accepts. */
  waitForEvent(pred: (e: ApplyEventLine) => boolean): Promise<ApplyEventLine>;
  /** Resolves with the first stdout line (past or future) that matches. */
  waitForLine(re: RegExp): Promise<string>;
  result: Promise<CliResult>;
}

/** The built CLI as a child process, its stdout watched line by line. */
export function startTvd(args: string[], opts: CliOptions = {}): RunningTvd {
  const child = spawn(process.execPath, [TVD_MAIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    cwd: opts.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    const parts = (partial + d).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin!.end();
  const result = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code: code ?? (signal === 'SIGINT' ? 130 : 1), stdout, stderr })),
  );
  const waitFor = (match: (line: string) => boolean, what: string): Promise<string> => {
    const seen = lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      waiters.push({ match, resolve });
      void result.then((r) => reject(new Error(`tvd ended (exit ${r.code}) before printing ${what}\n${r.stdout}${r.stderr}`)));
    });
  };
  const isEvent = (pred: (e: ApplyEventLine) => boolean) => (line: string) => {
    try {
      return line.startsWith('{') && pred(JSON.parse(line) as ApplyEventLine);
    } catch {
      return false;
    }
  };
  return {
    child,
    result,
    waitForEvent: async (pred) => JSON.parse(await waitFor(isEvent(pred), 'the awaited event')) as ApplyEventLine,
    waitForLine: (re) => waitFor((l) => re.test(l), `a line like ${re}`),
  };
}

/**
 * Holds every `xl create` on a host: the lab's xl waits while /run/xl/lock names a live process
 * (this one). A bundle thus stops at its first VM, with everything before it done. Returns release.
 */
export async function holdXl(prefix: string, host: string): Promise<() => Promise<void>> {
  const r = await hostExec(prefix, host, ['sh', '-c', `mkdir -p /run/xl/lock && echo ${process.pid} > /run/xl/lock/pid`]);
  if (r.code !== 0) throw new Error(`cannot hold xl on ${host}: ${r.stderr}`);
  return async () => {
    await hostExec(prefix, host, ['rm', '-rf', '/run/xl/lock']);
  };
}

/** Waits until the state file records `address` with `status`. */
export async function stateShows(path: string, address: string, status: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const s = JSON.parse(readFileSync(path, 'utf8')) as State;
      if (s.resources.some((r) => addressKey(r) === address && r.status === status)) return;
    } catch {
      /* not written yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the state never recorded ${address} as ${status}`);
}

/**
 * `tvd apply` killed (SIGKILL) while `host`'s first VM is under way, once the state calls that
 * step tainted (its write-ahead); returns, with that step's begin event, when the host went on
 * until it noticed tvd was gone (its next line of output) and stopped.
 */
export async function killApplyAtFirstVm(
  t: TestContext,
  prefix: string,
  host: string,
  path: string,
  args: string[],
  statePath: string,
): Promise<ApplyEventLine> {
  const release = await holdXl(prefix, host);
  const run = startTvd(['apply', path, '--auto-approve', '--json', ...args]);
  t.after(() => void run.child.kill('SIGKILL'));
  const begun = await run.waitForEvent(firstVmBegins(host));
  await stateShows(statePath, begun.address!, 'tainted');
  run.child.kill('SIGKILL');
  await run.result;
  await release();
  await waitForQuiet(prefix, host);
  return begun;
}

/** Polls `check` until it holds (every 100 ms, at most `timeoutMs`); a wait, not a timed assertion. */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until no shell runs on the host any more: a bundle orphaned by a fault has ended. */
export async function waitForQuiet(prefix: string, host: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (hostProcesses(prefix, host, 'sh').length > 0) {
    if (Date.now() > deadline) throw new Error(`a script still runs on ${host} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What tvd recorded on a host (its manifest), read without SSH. */
export async function hostManifest(prefix: string, host: string): Promise<Manifest> {
  const r = await hostExec(prefix, host, ['sh', '-c', renderManifestScript()]);
  const m = parseManifest(r.stdout);
  if (!m) throw new Error(`cannot read the manifest of ${host}: ${r.stderr}`);
  return m;
}

export interface Truth {
  state?: State;
  /** Empty when the state file is valid and true to the hosts. */
  problems: string[];
}

/**
 * Is the state file valid, and true to the hosts? Each applied resource is on its host with the
 * same attributes; each resource a host holds is in the state (applied, or tainted when a step on
 * it was cut short: then the state does not claim to know how far it got).
 */
export async function stateTruth(statePath: string, prefix: string, hosts: string[]): Promise<Truth> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(statePath, 'utf8'));
  } catch (err) {
    return { problems: [`unreadable state: ${(err as Error).message}`] };
  }
  return stateTruthOf(data, prefix, hosts);
}

/** The same for a state read from elsewhere (a database). */
export async function stateTruthOf(data: unknown, prefix: string, hosts: string[]): Promise<Truth> {
  const p = stateProblems(data);
  if (p.length) return { problems: p.map((x) => `invalid state: ${x}`) };
  const state = data as State;
  const problems: string[] = [];
  for (const host of hosts) {
    const m = await hostManifest(prefix, host);
    const mine = state.resources.filter((r) => r.host === host);
    for (const r of mine) {
      if (r.status !== 'applied') continue;
      const digest = m.get(addressKey(r));
      if (digest === undefined) problems.push(`${addressKey(r)}: applied in the state, not on the host`);
      else if (digest !== attrsDigest(r.attrs)) problems.push(`${addressKey(r)}: the host holds other attributes than the state`);
    }
    for (const address of m.keys()) {
      if (!mine.some((r) => addressKey(r) === address)) problems.push(`${address}: on the host, missing from the state`);
    }
  }
  return { state, problems };
}

export function resourcesOf(state: State | undefined, host: string): string[] {
  return (state?.resources ?? [])
    .filter((r) => r.host === host)
    .map((r) => `${addressKey(r)} ${r.status}`)
    .sort();
}

/** One row of docs/reliability.md, written where scripts/report-reliability.ts finds it. */
export interface ReportRow {
  area: 'fault' | 'bad input' | 'attack';
  faults?: number;
  badInputs?: number;
  attacksRefused?: number;
  dataLost?: number;
  note?: string;
}

export function reportRow(t: TestContext, row: ReportRow): void {
  t.diagnostic(`tvd-report ${JSON.stringify(row)}`);
}

export function labPrefix(tag: string): string {
  return `${tag}${process.pid % 1000}`;
}
