// The traffic proof's oracle: which probes it tries, and what it expects of each. Pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORBIDDEN_PORT, probePorts, reachProbes } from '../../src/verify/expected-reach.js';
import type { Topology } from '../../src/topology/schema.js';

const vm = (tvd: string, ip: string) => ({ host: 'h1', memory: 128, start: true, nics: [{ tvd, ip }] });
const topology = (allow: { proto: 'tcp' | 'udp' | 'icmp'; port?: number }[]): Topology =>
  ({
    version: 1,
    tvds: { red: { subnet: '198.19.1.0/24' }, blue: { subnet: '198.19.2.0/24' } },
    flows: [{ from: 'red', to: 'blue', connection: 'controlled', allow }],
    hosts: { h1: { address: '198.18.1.11', uplink: 'eth0' } },
    vms: { r1: vm('red', '198.19.1.10'), r2: vm('red', '198.19.1.11'), b1: vm('blue', '198.19.2.10') },
  }) as Topology;

test('every pair is tried on every allowed port, the forbidden port and two ports no rule names', () => {
  const ports = probePorts(topology([{ proto: 'tcp', port: 8080 }, { proto: 'icmp' }]));
  assert.deepEqual(ports, [FORBIDDEN_PORT, 8080, 9090, 40001]);
  const probes = reachProbes(topology([{ proto: 'tcp', port: 8080 }, { proto: 'icmp' }]));
  for (const [from, to] of [
    ['r1', 'r2'],
    ['r1', 'b1'],
    ['b1', 'r2'],
  ]) {
    assert.deepEqual(
      probes.filter((p) => p.from === from && p.to === to).map((p) => p.probe),
      ['icmp', 'tcp/7', 'tcp/8080', 'tcp/9090', 'tcp/40001'],
    );
  }
});

test('within a TVD every port is expected open; across a controlled connection only the allowed ones', () => {
  const probes = reachProbes(topology([{ proto: 'tcp', port: 8080 }, { proto: 'icmp' }]));
  const expect = (from: string, to: string) =>
    Object.fromEntries(probes.filter((p) => p.from === from && p.to === to).map((p) => [p.probe, p.expected]));
  assert.deepEqual(expect('r1', 'r2'), { icmp: true, 'tcp/7': true, 'tcp/8080': true, 'tcp/9090': true, 'tcp/40001': true });
  assert.deepEqual(expect('r1', 'b1'), { icmp: true, 'tcp/7': false, 'tcp/8080': true, 'tcp/9090': false, 'tcp/40001': false });
  assert.deepEqual(expect('b1', 'r1'), { icmp: false, 'tcp/7': false, 'tcp/8080': false, 'tcp/9090': false, 'tcp/40001': false });
});

test('a port a rule names is never taken as an unnamed one', () => {
  const ports = probePorts(
    topology([
      { proto: 'tcp', port: 9090 },
      { proto: 'udp', port: 40001 },
    ]),
  );
  assert.deepEqual(ports, [FORBIDDEN_PORT, 9090, 40002, 40003]);
});
