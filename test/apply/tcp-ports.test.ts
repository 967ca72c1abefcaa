// Issue 21, found by a check from outside: TCP from one VM (r1) to its own TVD on 8080 and
// 9090 and to the blue VMs on the allowed 8080 failed while every ping passed. Its topology
// on the lab, with the whole matrix asserted: ping and TCP on every allowed port, on two ports
// no rule names (9090 among them) and on the forbidden one, for every ordered pair of VMs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canRunLab, LAB_SKIP_REASON, type LabInfo } from '../../lab/api.js';
import { matrixTable, mismatchLine, mismatches, probeOnce, runTrafficMatrix } from '../../lab/traffic-matrix.js';
import { writeTopology } from '../support/example.js';
import { tvd } from '../support/tvd-cli.js';
import type { Topology } from '../../src/topology/schema.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = `tcp${process.pid % 1000}`;

/** The outside check's topology: lab hosts 1..3 over two segments, five VMs, one NIC each. */
function outsideCheck(lab: LabInfo): Topology {
  const [h1, h2, h3] = lab.hosts.map((h) => h.name);
  const vm = (host: string, tvd: string, ip: string) => ({ host, memory: 128, start: true, nics: [{ tvd, ip }] });
  return {
    version: 1,
    tvds: { red: { subnet: '198.19.1.0/24' }, blue: { subnet: '198.19.2.0/24' }, green: { subnet: '198.19.3.0/24' } },
    flows: [
      { from: 'red', to: 'blue', connection: 'controlled', allow: [{ proto: 'tcp', port: 8080 }, { proto: 'icmp' }] },
      { between: ['red', 'green'], connection: 'open' },
    ],
    hosts: Object.fromEntries(
      lab.hosts.map((h) => [h.name, { address: h.address, port: h.port, user: h.user, uplink: 'eth0', segment: h.segment }]),
    ),
    vms: {
      r1: vm(h1, 'red', '198.19.1.10'),
      r2: vm(h3, 'red', '198.19.1.11'),
      b1: vm(h2, 'blue', '198.19.2.10'),
      b2: vm(h1, 'blue', '198.19.2.11'),
      g1: vm(h3, 'green', '198.19.3.10'),
    },
  } as Topology;
}

test('outside check of issue 21: ping and TCP on several ports match the matrix for every pair', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 300_000,
}, async () => {
  await withLabRun({ hosts: 3, segments: 2, prefix: PREFIX }, async ({ lab, dir, args }) => {
    assert.notEqual(lab.hosts[0].segment, lab.hosts[1].segment, 'hosts 1 and 2 in different segments, as in the check');
    const topology = outsideCheck(lab);
    const path = writeTopology(dir, topology);
    const applied = await tvd(['apply', path, '--auto-approve', ...args]);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);

    const results = await runTrafficMatrix(lab, topology);
    // 20 ordered pairs, each: ping, and TCP on 7 (forbidden), 8080 (allowed), 9090 and 40001 (named by no rule).
    assert.deepEqual([...new Set(results.map((r) => r.probe))].sort(), ['icmp', 'tcp/40001', 'tcp/7', 'tcp/8080', 'tcp/9090']);
    assert.equal(results.length, 20 * 5);
    assert.deepEqual(mismatches(results).map(mismatchLine), [], matrixTable(results));
    // The check's failing cells, beyond the oracle.
    const got = (from: string, to: string, probe: string) =>
      results.find((r) => r.from === from && r.to === to && r.probe === probe)!.actual;
    for (const p of ['tcp/8080', 'tcp/9090', 'tcp/40001', 'tcp/7']) assert.equal(got('r1', 'r2', p), true, `r1 -> r2 ${p}`);
    for (const to of ['b1', 'b2']) {
      assert.equal(got('r1', to, 'tcp/8080'), true, `r1 -> ${to} tcp/8080`);
      assert.equal(got('r1', to, 'tcp/9090'), false, `r1 -> ${to} tcp/9090`);
    }

    // What the check could not tell apart: a port nobody listens on is refused by the VM
    // itself (the path is open), while a port the firewall drops gets no answer at all.
    const probe = (to: string, toIp: string, fromTvd: string, toTvd: string) =>
      probeOnce(lab, { from: 'r1', to, toIp, fromTvd, toTvd, probe: 'tcp/40009', expected: false });
    assert.deepEqual(await probe('r2', '198.19.1.11', 'red', 'red'), { actual: false, refused: true });
    assert.deepEqual(await probe('b1', '198.19.2.10', 'red', 'blue'), { actual: false });

    assert.equal((await tvd(['destroy', path, '--auto-approve', ...args])).code, 0);
  });
});
