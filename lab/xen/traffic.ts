// The proof by traffic on a real-Xen lab: the same probes as the namespace kind
// (expected-reach.ts), run inside the guests through their consoles. Each guest listens on
// every probed port first (busybox `nc -ll -e`, a persistent server); then each sending guest runs all its probes at
// once in one job, and says per probe: ok, no, or refused (a reset: the SYN got through).
import type { Topology } from '../../src/topology/schema.js';
import { listenPorts, reachProbes, type ReachProbe } from '../../src/verify/expected-reach.js';
import type { XenLabHost, XenLabInfo } from '../lab-info.js';
import type { ProbeResult } from '../traffic-matrix.js';
import { guestRun } from './exec.js';

const ipOk = (ip: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);

/** Starts listeners on `ports` and exits 0 once every one listens. */
export function listenerScript(ports: number[]): string {
  return [
    'killall nc 2>/dev/null',
    `for p in ${ports.join(' ')}; do setsid nc -ll -p "$p" -e /bin/true </dev/null >/dev/null 2>&1 & done`,
    'i=0',
    'while [ $i -lt 100 ]; do',
    '  missing=',
    `  for p in ${ports.join(' ')}; do netstat -ltn 2>/dev/null | grep -q "[:.]$p " || missing="$missing $p"; done`,
    '  [ -z "$missing" ] && exit 0',
    '  sleep 0.2; i=$((i + 1))',
    'done',
    'echo "not listening on:$missing"',
    'exit 1',
    '',
  ].join('\n');
}

/** One job that runs these probes at once and prints `INDEX ok|no|refused` per probe. */
export function probeScript(probes: ReachProbe[]): string {
  const lines = ['cd /tmp && rm -f probe.*'];
  probes.forEach((p, i) => {
    if (!ipOk(p.toIp)) throw new Error(`not an IPv4 address: ${p.toIp}`);
    if (p.probe === 'icmp') {
      lines.push(`(if ping -c 2 -W 2 ${p.toIp} >/dev/null 2>&1; then echo ok; else echo no; fi >probe.${i}) &`);
    } else {
      const port = Number(p.probe.slice(4));
      if (!Number.isInteger(port)) throw new Error(`not a TCP probe: ${p.probe}`);
      lines.push(
        `(if out=$(nc -w 3 ${p.toIp} ${port} </dev/null 2>&1); then echo ok; else case $out in *refused*) echo refused ;; *) echo no ;; esac; fi >probe.${i}) &`,
      );
    }
  });
  lines.push('wait', `i=0; while [ $i -lt ${probes.length} ]; do echo "$i $(cat probe.$i)"; i=$((i + 1)); done`, '');
  return lines.join('\n');
}

export function parseProbeOutput(out: string, count: number): ('ok' | 'no' | 'refused')[] {
  const got = new Array<'ok' | 'no' | 'refused' | undefined>(count).fill(undefined);
  for (const line of out.split('\n')) {
    const m = /^(\d+) (ok|no|refused)$/.exec(line.trim());
    if (m && Number(m[1]) < count) got[Number(m[1])] = m[2] as 'ok' | 'no' | 'refused';
  }
  const missing = got.indexOf(undefined);
  if (missing >= 0) throw new Error(`probe ${missing} gave no answer: ${out.trim().slice(0, 500)}`);
  return got as ('ok' | 'no' | 'refused')[];
}

export async function xenTrafficMatrix(lab: XenLabInfo, t: Topology): Promise<ProbeResult[]> {
  const probes = reachProbes(t);
  const hostOf = (vm: string): XenLabHost => {
    const h = lab.hosts.find((x) => x.name === t.vms?.[vm]?.host);
    if (!h) throw new Error(`VM ${vm} is on no host of lab '${lab.prefix}' (fit the topology to the lab first)`);
    return h;
  };
  const vms = [...new Set(probes.flatMap((p) => [p.from, p.to]))].sort();
  const ports = listenPorts(probes);
  try {
    // All settle before one failure is reported: the cleanup below must not race a listener
    // job still starting its servers in another guest.
    const started = await Promise.allSettled(
      [...new Set(probes.map((p) => p.to))].map(async (vm) => {
        const r = await guestRun(lab, hostOf(vm), vm, listenerScript(ports));
        if (r.code !== 0) throw new Error(`listeners in ${vm} did not start (exit ${r.code}): ${(r.stdout + r.stderr).trim()}`);
      }),
    );
    const failed = started.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed) throw failed.reason;
    const results: ProbeResult[] = probes.map((p) => ({ ...p, actual: false }));
    const runBatch = async (batch: ProbeResult[]) => {
      const bySender = new Map<string, ProbeResult[]>();
      for (const r of batch) bySender.set(r.from, [...(bySender.get(r.from) ?? []), r]);
      const sent = await Promise.allSettled(
        [...bySender].map(async ([vm, rs]) => {
          const out = await guestRun(lab, hostOf(vm), vm, probeScript(rs));
          if (out.code !== 0)
            throw new Error(`probes from ${vm} failed (exit ${out.code}): ${(out.stdout + out.stderr).trim().slice(0, 500)}`);
          parseProbeOutput(out.stdout, rs.length).forEach((a, i) => {
            rs[i].actual = a === 'ok';
            if (a === 'refused') rs[i].refused = true;
            else delete rs[i].refused;
          });
        }),
      );
      const bad = sent.find((x): x is PromiseRejectedResult => x.status === 'rejected');
      if (bad) throw bad.reason;
    };
    await runBatch(results);
    // As on the namespace kind: getting through proves reachability, so a retry of what should
    // pass can never hide a leak, and under emulation a first ARP or boot can be slow.
    for (let attempt = 0; attempt < 2; attempt++) {
      const doubtful = results.filter((r) => r.expected && !r.actual);
      if (doubtful.length === 0) break;
      await runBatch(doubtful);
    }
    return results;
  } finally {
    await Promise.all(vms.map((vm) => guestRun(lab, hostOf(vm), vm, 'killall nc 2>/dev/null; true\n', 60).catch(() => undefined)));
  }
}
