// The proof by traffic: from every started VM to every other, ping and TCP connects on every
// allowed port, on two ports no rule names and on one forbidden port (expected-reach.ts),
// compared with what the flow matrix says. A TCP probe tells a reset from silence: every VM
// listens on every probed port before the first probe, so a refused connection means the SYN
// reached the VM and nothing listened there, a fault of the proof, never of the network (an
// outside check that probed before its listeners were up saw exactly that, docs/lab.md).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Topology } from '../src/topology/schema.js';
import { isXenLab, type AnyLabInfo, type LabInfo } from './lab-info.js';
import { execArgv, findAnyLab } from './exec.js';
import { xenTrafficMatrix } from './xen/traffic.js';
import { mapBounded } from '../src/ssh/bounded-parallel.js';
import { run } from './process.js';
import { listenPorts, reachProbes, type ReachProbe } from '../src/verify/expected-reach.js';

export interface ProbeResult extends ReachProbe {
  /** Got through: ping was answered, or a TCP connection was made. */
  actual: boolean;
  /** TCP: the VM's kernel answered with a reset, so the path is open but nothing listened. */
  refused?: boolean;
}

const LISTENER = (ports: number[]) =>
  `const net=require('net');let n=0;for(const p of ${JSON.stringify(ports)}){net.createServer(s=>s.end()).listen(p,'0.0.0.0',()=>{if(++n===${ports.length})console.log('ready')})}`;

async function startListener(lab: LabInfo, vm: string, ports: number[]): Promise<ChildProcess> {
  const argv = execArgv(lab, { vm }, ['node', '-e', LISTENER(ports)]);
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    let ready = false;
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      if (!ready && String(d).includes('ready')) {
        ready = true;
        resolve(child);
      }
    });
    child.on('close', (code, signal) => {
      if (!ready) reject(new Error(`listener in ${vm} exited ${code ?? signal} before it was ready: ${err.trim()}`));
    });
  });
}

/** One probe, once: from its VM, towards its address. */
export async function probeOnce(lab: LabInfo, p: ReachProbe): Promise<{ actual: boolean; refused?: boolean }> {
  const cmd =
    p.probe === 'icmp'
      ? ['ping', '-n', '-q', '-c', '3', '-i', '0.2', '-W', '1', p.toIp]
      : ['env', 'LC_ALL=C', 'timeout', '2', 'bash', '-c', `exec 3<>/dev/tcp/${p.toIp}/${p.probe.slice(4)}`];
  const r = await run(execArgv(lab, { vm: p.from }, cmd));
  if (r.code === 0) return { actual: true };
  // bash's message for ECONNREFUSED (in C, whatever the locale); a firewall drops (silence) or answers "unreachable".
  return p.probe !== 'icmp' && /Connection refused/.test(r.stderr) ? { actual: false, refused: true } : { actual: false };
}

/** Runs every probe of the topology's started VMs; listeners are always stopped afterwards. */
export async function runTrafficMatrix(given: AnyLabInfo, t: Topology, concurrency = 24): Promise<ProbeResult[]> {
  // Read the lab again: a host's anchor pid changes when it reboots.
  const any = findAnyLab(given.prefix);
  if (isXenLab(any)) return xenTrafficMatrix(any, t);
  const lab = any;
  const probes = reachProbes(t);
  const ports = listenPorts(probes);
  const vms = [...new Set(probes.map((p) => p.to))];
  const listeners: ChildProcess[] = [];
  try {
    const started = await Promise.allSettled(vms.map((vm) => startListener(lab, vm, ports)));
    for (const l of started) if (l.status === 'fulfilled') listeners.push(l.value);
    const failed = started.find((l) => l.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const results: ProbeResult[] = await mapBounded(probes, concurrency, async (p) => ({ ...p, ...(await probeOnce(lab, p)) }));
    // On a loaded machine a probe that should pass can time out. Try those again, fewer at a
    // time: getting through is proof of reachability, so a retry can never hide a leak, and a
    // flow that is really cut fails every try.
    for (let attempt = 0; attempt < 2; attempt++) {
      const doubtful = results.filter((r) => r.expected && !r.actual);
      if (doubtful.length === 0) break;
      await mapBounded(doubtful, Math.max(1, Math.floor(concurrency / 3)), async (r) => {
        const again = await probeOnce(lab, r);
        r.actual = again.actual;
        if (again.refused) r.refused = true;
        else delete r.refused;
      });
    }
    return results;
  } finally {
    for (const l of listeners) l.kill('SIGKILL');
  }
}

/** Probes whose outcome differs from the matrix, and every refused one (see the top of the file). */
export function mismatches(results: ProbeResult[]): ProbeResult[] {
  return results.filter((r) => r.actual !== r.expected || r.refused);
}

/** One line for a mismatch: what was expected, and what happened. */
export function mismatchLine(r: ProbeResult): string {
  const what = r.refused ? 'refused: it reached the VM and nothing listened there' : r.actual ? 'got through' : 'got no answer';
  return `${r.from} -> ${r.to} ${r.probe}: expected ${r.expected ? 'open' : 'blocked'}, ${what}`;
}

/** A table people can read: rows send, columns receive; each cell lists what got through. */
export function matrixTable(results: ProbeResult[]): string {
  const vms = [...new Set(results.flatMap((r) => [r.from, r.to]))].sort();
  const cell = (a: string, b: string) => {
    if (a === b) return '-';
    const rs = results.filter((r) => r.from === a && r.to === b);
    const through = rs.filter((r) => r.actual).map((r) => (r.probe === 'icmp' ? 'ping' : r.probe.slice(4)));
    const refused = rs.filter((r) => r.refused).map((r) => r.probe.slice(4));
    const bad = rs.some((r) => r.actual !== r.expected || r.refused);
    const got = through.length === 0 ? 'none' : through.length === rs.length ? 'all' : through.join(',');
    const text = refused.length ? `${got} refused:${refused.join(',')}` : got;
    return bad ? `${text}!` : text;
  };
  const width = Math.max(6, ...vms.map((v) => v.length), ...vms.flatMap((a) => vms.map((b) => cell(a, b).length))) + 2;
  const lines = [' '.repeat(width) + vms.map((v) => v.padEnd(width)).join('')];
  for (const a of vms) lines.push(a.padEnd(width) + vms.map((b) => cell(a, b).padEnd(width)).join(''));
  return lines.join('\n') + '\n';
}
