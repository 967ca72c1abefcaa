// The pure parts of `tvd verify --probe`: where the probes go and what they expect (plan), the
// scripts they run (quoting, syntax), what those print (parsing), the leftovers the observation
// finds, and the truth table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Topology } from '../../src/topology/schema.js';
import type { State, StateResource } from '../../src/state/state.js';
import { planProbes, probeMac } from '../../src/verify/traffic-probe-plan.js';
import { checkScript, holderScript, parseCheckResults, probeFailure } from '../../src/verify/traffic-probe-scripts.js';
import { parseRemoved, sweepScript } from '../../src/refresh/probe-sweep.js';
import { parseInventory } from '../../src/refresh/inventory.js';
import { compareHost } from '../../src/refresh/compare.js';
import { hostsWithProbes } from '../../src/refresh/probe-leftovers.js';
import { probeJson, probeText } from '../../src/verify/traffic-probe-table.js';
import type { ProbeReport } from '../../src/verify/run-traffic-probe.js';

const plain = { green: (s: string) => s, red: (s: string) => s, yellow: (s: string) => s, bold: (s: string) => s, dim: (s: string) => s };

const topology: Topology = {
  version: 1,
  tvds: { red: { subnet: '198.19.1.0/24' }, blue: { subnet: '198.19.2.0/24' }, green: { subnet: '198.19.3.0/24' }, dark: {} },
  flows: [
    { from: 'red', to: 'blue', connection: 'controlled', allow: [{ proto: 'tcp', port: 443 }, { proto: 'icmp' }] },
    { between: ['red', 'green'], connection: 'open' },
  ],
  hosts: {
    h1: { address: '198.18.1.11', uplink: 'eth0' },
    h2: { address: '198.18.1.12', uplink: 'eth0' },
    h3: { address: '198.18.1.13', uplink: 'eth0' },
  },
  vms: {
    r1: { host: 'h1', memory: 128, nics: [{ tvd: 'red', ip: '198.19.1.254' }] },
    b1: { host: 'h1', memory: 128, nics: [{ tvd: 'blue', ip: '198.19.2.10' }] },
  },
} as Topology;

const res = (host: string, type: StateResource['type'], name: string, attrs: unknown): StateResource => ({
  host,
  type,
  name,
  attrs,
  status: 'applied',
});
const vs = (host: string, tvd: string, id: number) => res(host, 'vswitch', tvd, { tvd, bridge: `tvd-${id}`, mtu: 1450 });
const state: State = {
  formatVersion: 1,
  lineage: 'x',
  serial: 1,
  allocations: { tvdIds: {}, vlans: {}, transits: {} },
  resources: [
    vs('h1', 'red', 1),
    vs('h2', 'red', 1),
    vs('h3', 'red', 1),
    vs('h1', 'blue', 2),
    vs('h2', 'green', 3),
    vs('h1', 'dark', 4),
    res('h1', 'firewall', 'red', { tvd: 'red', gateway: '198.19.1.1' }),
    res('h1', 'firewall', 'blue', { tvd: 'blue', gateway: '198.19.2.1' }),
    res('h2', 'firewall', 'green', { tvd: 'green', gateway: '198.19.3.1' }),
    // A VM the file no longer names, still deployed: its address is taken too.
    res('h2', 'vm', 'old', { nics: [{ tvd: 'red', ip: '198.19.1.253' }] }),
  ],
};

test('probes: per TVD the first two hosts with its vSwitch, addresses from the top of the subnet that no VM or gateway holds', () => {
  const p = planProbes(topology, state);
  const eps = p.endpoints.map((e) => `${e.tvd}@${e.host} ${e.name} ${e.address}/${e.prefix} via ${e.gateway} ${e.mac}`);
  assert.deepEqual(eps, [
    'blue@h1 tvdp-2 198.19.2.254/24 via 198.19.2.1 02:70:c6:13:02:fe',
    'green@h2 tvdp-3 198.19.3.254/24 via 198.19.3.1 02:70:c6:13:03:fe',
    'red@h1 tvdp-1 198.19.1.252/24 via 198.19.1.1 02:70:c6:13:01:fc',
    'red@h2 tvdp-1 198.19.1.251/24 via 198.19.1.1 02:70:c6:13:01:fb',
  ]);
  assert.equal(probeMac('198.19.1.252'), '02:70:c6:13:01:fc');
  assert.deepEqual(p.ports, [7, 443, 9090, 40001]);
  // A TVD without a subnet cannot be probed; the pairs it is in are named, with why.
  assert.ok(p.unprobed.some((u) => u.from === 'dark' && u.to === 'red' && /no subnet/.test(u.reason)));
  assert.ok(!p.unprobed.some((u) => u.from !== 'dark' && u.to !== 'dark'), JSON.stringify(p.unprobed));
});

test('checks: every pair of probes of different TVDs, and one TVD across hosts, with the matrix as the expectation', () => {
  const p = planProbes(topology, state);
  const at = (i: number) => `${p.endpoints[i].tvd}@${p.endpoints[i].host}`;
  const expect = (from: string, to: string) =>
    Object.fromEntries(p.checks.filter((c) => at(c.from) === from && at(c.to) === to).map((c) => [c.probe, c.expected]));
  assert.deepEqual(expect('red@h1', 'blue@h1'), { icmp: true, 'tcp/7': false, 'tcp/443': true, 'tcp/9090': false, 'tcp/40001': false });
  assert.deepEqual(expect('blue@h1', 'red@h2'), { icmp: false, 'tcp/7': false, 'tcp/443': false, 'tcp/9090': false, 'tcp/40001': false });
  assert.deepEqual(expect('blue@h1', 'green@h2'), { icmp: false, 'tcp/7': false, 'tcp/443': false, 'tcp/9090': false, 'tcp/40001': false });
  assert.deepEqual(expect('green@h2', 'red@h1'), { icmp: true, 'tcp/7': true, 'tcp/443': true, 'tcp/9090': true, 'tcp/40001': true });
  assert.deepEqual(expect('red@h1', 'red@h2'), { icmp: true, 'tcp/7': true, 'tcp/443': true, 'tcp/9090': true, 'tcp/40001': true });
  // 4 probes: 12 ordered pairs, 5 kinds each.
  assert.equal(p.checks.length, 12 * 5);
});

test('--probe-hosts: only those hosts; a TVD with no vSwitch there is named as not probed', () => {
  const p = planProbes(topology, state, { hosts: ['h2', 'h3'] });
  assert.deepEqual(
    p.endpoints.map((e) => `${e.tvd}@${e.host}`),
    ['green@h2', 'red@h2', 'red@h3'],
  );
  assert.ok(p.unprobed.some((u) => u.from === 'blue' && u.to === 'red' && u.reason === 'TVD blue has no vSwitch on h2, h3'));
});

test('a subnet with no free address: named, not probed', () => {
  const t = { ...topology, tvds: { ...topology.tvds, blue: { subnet: '198.19.2.0/30' } } } as Topology;
  const st = {
    ...state,
    resources: state.resources.map((r) =>
      r.type === 'firewall' && r.name === 'blue' ? res('h1', 'firewall', 'blue', { tvd: 'blue', gateway: '198.19.2.1' }) : r,
    ),
  };
  t.vms = { ...t.vms, b1: { host: 'h1', memory: 128, nics: [{ tvd: 'blue', ip: '198.19.2.2' }] } } as Topology['vms'];
  const p = planProbes(t, st);
  assert.ok(!p.endpoints.some((e) => e.tvd === 'blue'));
  assert.ok(p.unprobed.some((u) => u.from === 'blue' && /no address that no VM holds/.test(u.reason)));
});

const sh = (script: string) => spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });

test('scripts: valid sh, every value quoted, unsafe values refused', () => {
  const p = planProbes(topology, state);
  const h1 = p.endpoints.filter((e) => e.host === 'h1');
  const holder = holderScript(h1, p.ports, 30);
  assert.equal(sh(holder).status, 0, sh(holder).stderr);
  assert.match(holder, /ip netns add 'tvdp-2' \|\|/);
  assert.match(holder, /^link set dev tvdp-2 mtu 1450 master tvd-2 up$/m);
  assert.match(holder, /^route add default via 198\.19\.2\.1 dev eth0$/m);
  assert.match(holder, /^cat >\/dev\/null 2>&1 8>&- 9>&-$/m, 'the lease: the holder waits for the end of its stdin');
  const checks = checkScript(
    h1[0],
    [
      { id: 0, probe: 'icmp', address: '198.19.1.252' },
      { id: 1, probe: 'tcp/443', address: '198.19.1.252' },
    ],
    1,
  );
  assert.equal(sh(checks).status, 0, sh(checks).stderr);
  assert.match(checks, /^tvd_tcp 1 '198\.19\.1\.252' 443 &$/m);
  assert.equal(sh(sweepScript(30)).status, 0);
  assert.throws(() => holderScript([{ ...h1[0], bridge: "tvd-1'; reboot" }], p.ports, 30), /unsafe ifname/);
  assert.throws(() => checkScript(h1[0], [{ id: 0, probe: 'icmp', address: '1.2.3.4; reboot' }]), /unsafe ipv4/);
});

test('what the scripts print: results, removed probes, failures', () => {
  const out =
    '@@tvd probe-result 3 ok\n@@tvd probe-result 4 refused\n@@tvd probe-result 5 none\n@@tvd probe-result 6 bogus\n@@tvd probe-done\n';
  assert.deepEqual(
    [...parseCheckResults(out)],
    [
      [3, 'ok'],
      [4, 'refused'],
      [5, 'none'],
    ],
  );
  assert.deepEqual(parseRemoved('@@tvd probe-removed tvdp-9\n@@tvd probe-removed tvdp-1\n@@tvd probe-removed tvdp-9\nx\n'), [
    'tvdp-1',
    'tvdp-9',
  ]);
  assert.equal(
    probeFailure('x\n@@tvd probe-fail this host lacks perl, which the probes need\n'),
    'this host lacks perl, which the probes need',
  );
});

test('leftover probes: the observation finds them; they are never foreign ports', () => {
  const link = (n: number, name: string, master: string) =>
    `${n}: ${name}@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master ${master} state UP mode DEFAULT group default qlen 1000\\    link/ether 26:1d:2c:5a:9d:c6 brd ff:ff:ff:ff:ff:ff link-netns x \\    veth`;
  const out = [
    'observe 3',
    'links -',
    link(5, 'tvdp-1', 'tvd-1'),
    link(6, 'vethx', 'tvd-1'),
    'probe-netns tvdp-1',
    'probe-netns tvdp-7',
    'end',
    '',
  ].join('\n');
  const inv = parseInventory(out);
  assert.ok(inv.ok);
  assert.deepEqual(inv.inventory.probes, ['tvdp-1', 'tvdp-7']);
  assert.deepEqual(
    hostsWithProbes([
      { host: 'h1', inventory: inv.inventory },
      { host: 'h2', inventory: { ...inv.inventory, probes: undefined } },
    ]),
    ['h1'],
  );
  const foreign = compareHost('h1', [vs('h1', 'red', 1)], inv.inventory).filter((f) => f.kind === 'foreign');
  assert.deepEqual(
    foreign.map((f) => f.message.split(' ')[0]),
    ['vethx'],
  );
});

test('the truth table: beside the matrix, differences marked and named', () => {
  const p = planProbes(topology, state);
  const checks = p.checks.map((c) => ({ ...c, outcome: (c.expected ? 'ok' : 'none') as 'ok' | 'none', observed: c.expected }));
  // A leak: blue@h1 reaches green@h2 on TCP 9090, which the closed pair forbids.
  const leak = checks.findIndex((c) => p.endpoints[c.from].tvd === 'blue' && p.endpoints[c.to].tvd === 'green' && c.probe === 'tcp/9090');
  checks[leak] = { ...checks[leak], outcome: 'ok', observed: true };
  const report: ProbeReport = { endpoints: p.endpoints, ports: p.ports, checks, unprobed: p.unprobed, removed: [], unconfirmed: [] };
  const text = probeText(topology, report, plain);
  // Columns: blue, dark, green, red; dark has no subnet, so its pairs are `?`.
  assert.match(text, /^red\s+P tcp\/443,icmp\s+0\s+1\s+1\s+red\s+ping,443\s+\?\s+all\s+all$/m);
  assert.match(text, /^blue\s+1\s+0\s+0\s+0\s+blue\s+-\s+\?\s+9090!\s+none$/m);
  assert.match(text, /blue@h1 \(198\.19\.2\.254\) -> green@h2 \(198\.19\.3\.254\) tcp\/9090: the matrix says blocked, got through/);
  assert.match(text, /60 checks between 4 probes on 2 hosts: 1 differs from the flow matrix\./);
  const json = probeJson(topology, report);
  assert.equal(json.mismatches, 1);
  assert.deepEqual(
    json.checks.filter((c) => !c.match).map((c) => [c.from.tvd, c.to.tvd, c.probe, c.outcome]),
    [['blue', 'green', 'tcp/9090', 'ok']],
  );
});
