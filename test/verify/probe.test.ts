// `tvd verify --probe` on the lab (issue 26): a fleet of two hosts with an open pair (red, green),
// a closed one (blue, green) and a controlled one (red -> blue: tcp/443 and icmp).
//   - verify --probe exits 0 and every check matches the matrix;
//   - a firewall drifted by hand (its tcp/443 rule deleted) is caught: exit 2, the pair named;
//   - accept-all rules added to every firewall open the connected pairs, and the closed pair stays closed;
//   - after a run, after Ctrl-C in the middle and after a kill -9, no probe remains on any host;
//   - a probe planted by hand is removed by the next verify (never reported as foreign) and plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunLab, hostExec, LAB_SKIP_REASON, withLab, type LabInfo } from '../../lab/api.js';
import { labArgs, tvd, TVD_MAIN } from '../support/tvd-cli.js';
import { writeTopology } from '../support/example.js';
import type { Topology } from '../../src/topology/schema.js';
import { bridgeOf } from './lab-topology.js';

const PREFIX = `pr2${process.pid % 1000}`;

function fleet(lab: LabInfo): Topology {
  const hosts: NonNullable<Topology['hosts']> = {};
  for (const h of lab.hosts) hosts[h.name] = { address: h.address, port: h.port, user: h.user, uplink: 'eth0', segment: h.segment };
  return {
    version: 1,
    tvds: { red: { subnet: '198.19.1.0/24' }, blue: { subnet: '198.19.2.0/24' }, green: { subnet: '198.19.3.0/24' } },
    flows: [
      { from: 'red', to: 'blue', connection: 'controlled', allow: [{ proto: 'tcp', port: 443 }, { proto: 'icmp' }] },
      { between: ['red', 'green'], connection: 'open' },
    ],
    hosts,
    vms: {
      'red-1': { host: 'h1', memory: 128, start: true, nics: [{ tvd: 'red', ip: '198.19.1.10' }] },
      'red-2': { host: 'h2', memory: 128, start: true, nics: [{ tvd: 'red', ip: '198.19.1.11' }] },
      'blue-1': { host: 'h1', memory: 128, start: true, nics: [{ tvd: 'blue', ip: '198.19.2.10' }] },
      'green-1': { host: 'h2', memory: 128, start: true, nics: [{ tvd: 'green', ip: '198.19.3.10' }] },
    },
  } as Topology;
}

interface Check {
  from: { tvd: string; host: string };
  to: { tvd: string; host: string };
  probe: string;
  expected: boolean;
  observed: boolean;
  outcome: string;
  match: boolean;
}
interface Json {
  findings: { kind: string; message: string }[];
  probesRemoved?: { host: string; names: string[] }[];
  probe: { checks: Check[]; mismatches: number; probes: { tvd: string; host: string }[]; unprobed: unknown[] };
}

async function probeJson(path: string, args: string[]): Promise<{ code: number; json: Json; text: string }> {
  const r = await tvd(['verify', path, '--probe', '--json', ...args]);
  assert.ok(r.code === 0 || r.code === 2, `verify --probe exit ${r.code}: ${r.stdout}${r.stderr}`);
  return { code: r.code, json: JSON.parse(r.stdout) as Json, text: r.stdout + r.stderr };
}

/** Every probe namespace and link on every host of the lab. */
async function probesLeft(lab: LabInfo): Promise<string[]> {
  const left: string[] = [];
  for (const h of lab.hosts) {
    const r = await hostExec(PREFIX, h.name, ['sh', '-c', 'ls /var/run/netns; ip -o link show; ls /run/tvd']);
    for (const m of r.stdout.matchAll(/\b(tvdp-[0-9a-z-]+|probe\.lock)\b/g)) left.push(`${h.name}:${m[1]}`);
  }
  return [...new Set(left)].sort();
}

const pair = (c: Check) => `${c.from.tvd}->${c.to.tvd}`;

/** Runs verify --probe, and once it says its probes are attached, sends the signal. */
function signalledRun(
  args: string[],
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TVD_MAIN, 'verify', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/Attached \d+ probes/.test(stderr) && !child.killed) child.kill(signal);
    });
    child.on('close', (code, sig) => resolve({ code, signal: sig, stderr }));
  });
}

test('verify --probe: the matrix proved live; drift caught; closed stays closed; probes never stay', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 900_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-pr2-'));
  try {
    await withLab({ hosts: 2, segments: 1, prefix: PREFIX }, async (lab) => {
      const state = join(dir, 'state.json');
      const args = labArgs(lab, state);
      const path = writeTopology(dir, fleet(lab));
      const applied = await tvd(['apply', path, '--auto-approve', ...args]);
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);

      // 1. A clean fleet: exit 0, every check as the matrix says, probes on both hosts.
      const clean = await probeJson(path, args);
      assert.equal(clean.code, 0, clean.text);
      const checks = clean.json.probe.checks;
      assert.equal(clean.json.probe.mismatches, 0, clean.text);
      assert.ok(
        checks.every((c) => c.match && c.observed === c.expected),
        clean.text,
      );
      assert.deepEqual([...new Set(clean.json.probe.probes.map((p) => `${p.tvd}@${p.host}`))].sort(), [
        'blue@h1',
        'green@h2',
        'red@h1',
        'red@h2',
      ]);
      assert.deepEqual(clean.json.probe.unprobed, []);
      const seen = (from: string, to: string) =>
        [...new Set(checks.filter((c) => pair(c) === `${from}->${to}` && c.observed).map((c) => c.probe))].sort();
      assert.deepEqual(seen('red', 'blue'), ['icmp', 'tcp/443'], 'controlled: only what the rule allows');
      assert.deepEqual(seen('blue', 'red'), [], 'controlled one way: nothing back');
      assert.deepEqual(seen('red', 'green'), ['icmp', 'tcp/40001', 'tcp/443', 'tcp/7', 'tcp/9090'], 'open: everything');
      assert.deepEqual(seen('blue', 'green'), [], 'closed');
      assert.deepEqual(seen('green', 'blue'), [], 'closed');
      assert.ok(
        checks.some((c) => pair(c) === 'red->red' && c.from.host !== c.to.host && c.observed),
        'inside red, across hosts',
      );
      assert.deepEqual(await probesLeft(lab), [], 'no probe stays after a run');
      const human = await tvd(['verify', path, '--probe', ...args]);
      assert.equal(human.code, 0, human.stdout + human.stderr);
      assert.match(human.stdout, /The flow matrix\s+What the probes saw/);
      assert.match(human.stdout, /^red\s+P tcp\/443,icmp\s+1\s+1\s+red\s+ping,443\s+all\s+all$/m);
      assert.match(human.stdout, /all match the flow matrix/);

      // 2. Ctrl-C once the probes are attached: 130, and the probes are gone. Then kill -9: the
      // hosts remove their own probes as the connection goes.
      const interrupted = await signalledRun([path, '--probe', ...args], 'SIGINT');
      assert.equal(interrupted.code, 130, interrupted.stderr);
      assert.match(interrupted.stderr, /the probes were removed/);
      assert.deepEqual(await probesLeft(lab), [], 'no probe stays after Ctrl-C');
      const killed = await signalledRun([path, '--probe', ...args], 'SIGKILL');
      assert.equal(killed.signal, 'SIGKILL');
      let left: string[] = [];
      for (let i = 0; i < 50; i++) {
        left = await probesLeft(lab);
        if (left.length === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.deepEqual(left, [], 'no probe stays after tvd is killed');

      // 3. A firewall drifted by hand: blue's rule that lets red in on tcp/443 is deleted.
      const st = JSON.parse(readFileSync(state, 'utf8')) as { resources: { host: string; type: string; name: string; attrs: unknown }[] };
      const fwHost = (tvdName: string) => st.resources.find((r) => r.type === 'firewall' && r.name === tvdName)!.host;
      const rules = await hostExec(PREFIX, fwHost('blue'), [
        'ip',
        'netns',
        'exec',
        'tvdfw-blue',
        'nft',
        '-a',
        'list',
        'chain',
        'inet',
        'tvd',
        'forward',
      ]);
      const handle = /tcp dport 443 .*# handle (\d+)/.exec(rules.stdout)?.[1];
      assert.ok(handle, rules.stdout + rules.stderr);
      const del = await hostExec(PREFIX, fwHost('blue'), [
        'ip',
        'netns',
        'exec',
        'tvdfw-blue',
        'nft',
        'delete',
        'rule',
        'inet',
        'tvd',
        'forward',
        'handle',
        handle,
      ]);
      assert.equal(del.code, 0, del.stderr);
      const drifted = await probeJson(path, args);
      assert.equal(drifted.code, 2, drifted.text);
      const bad = drifted.json.probe.checks.filter((c) => !c.match);
      assert.ok(
        bad.length > 0 && bad.every((c) => pair(c) === 'red->blue' && c.probe === 'tcp/443' && c.expected && !c.observed),
        JSON.stringify(bad),
      );
      const text = await tvd(['verify', path, '--probe', ...args]);
      assert.equal(text.code, 2);
      assert.match(text.stdout, /red@h\d \(198\.19\.1\.\d+\) -> blue@h1 \(198\.19\.2\.\d+\) tcp\/443: the matrix says open, got no answer/);

      // 4. Every firewall accepts everything: the connected pairs leak, and are caught; the closed
      // pair stays closed, because there is no link between blue and green to leak through.
      for (const t of ['red', 'blue', 'green']) {
        const r = await hostExec(PREFIX, fwHost(t), [
          'ip',
          'netns',
          'exec',
          `tvdfw-${t}`,
          'nft',
          'insert',
          'rule',
          'inet',
          'tvd',
          'forward',
          'accept',
        ]);
        assert.equal(r.code, 0, r.stderr);
      }
      const open = await probeJson(path, args);
      assert.equal(open.code, 2, open.text);
      const leaks = new Set(open.json.probe.checks.filter((c) => !c.match && c.observed).map(pair));
      assert.ok(leaks.has('blue->red') && leaks.has('red->blue'), [...leaks].join(' '));
      const closed = open.json.probe.checks.filter((c) => ['blue->green', 'green->blue'].includes(pair(c)));
      assert.ok(closed.length > 0 && closed.every((c) => !c.observed && c.match), JSON.stringify(closed));

      // 5. A probe planted by hand (namespace, veth on red's bridge, a process in it): the next
      // verify removes it and does not call it foreign; so does plan's refresh.
      const plant = async (name: string) => {
        const r = await hostExec(PREFIX, 'h1', [
          'sh',
          '-c',
          `ip netns add ${name} && ip link add ${name} type veth peer name eth0 netns ${name} && ip link set ${name} master ${bridgeOf(st, 'h1', 'red')} up && (ip netns exec ${name} sleep 600 </dev/null >/dev/null 2>&1 &)`,
        ]);
        assert.equal(r.code, 0, r.stderr);
      };
      await plant('tvdp-99');
      const swept = await tvd(['verify', path, '--json', ...args]);
      const sj = JSON.parse(swept.stdout) as Json;
      assert.deepEqual(sj.probesRemoved, [{ host: 'h1', names: ['tvdp-99'] }], swept.stdout);
      assert.ok(!sj.findings.some((f) => /tvdp-/.test(f.message)), swept.stdout);
      assert.deepEqual(await probesLeft(lab), []);
      await plant('tvdp-98');
      const plan = await tvd(['plan', path, ...args]);
      assert.equal(plan.code, 0, plan.stdout + plan.stderr);
      assert.deepEqual(await probesLeft(lab), [], "plan's refresh removes a leftover probe");

      // 6. apply repairs the firewalls; the matrix holds again.
      const repaired = await tvd(['apply', path, '--auto-approve', ...args]);
      assert.equal(repaired.code, 0, repaired.stdout + repaired.stderr);
      const after = await probeJson(path, args);
      assert.equal(after.code, 0, after.text);

      // 7. Bad input: a host not in the topology is an error (exit 1), and nothing is attached.
      const wrong = await tvd(['verify', path, '--probe', '--probe-hosts', 'nowhere', ...args]);
      assert.equal(wrong.code, 1, wrong.stdout + wrong.stderr);
      assert.match(wrong.stderr, /--probe-hosts: nowhere is not a host of the topology/);
      const one = await probeJson(path, [...args, '--probe-hosts', 'h2']);
      assert.equal(one.code, 0, one.text);
      assert.ok(one.json.probe.probes.every((p) => p.host === 'h2'));
      assert.ok(one.json.probe.unprobed.length > 0, 'blue has no vSwitch on h2: its pairs are named as not probed');
      assert.deepEqual(await probesLeft(lab), []);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
