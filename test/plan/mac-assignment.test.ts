// MACs of NICs that give none: unique at any scale, stable across plans, independent of order.
// Pure unit tests of assignMacs (the planner's use of it: stable-macs.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignMacs, nicKey, recordedMacs, type NicRef } from '../../src/plan/mac-assignment.js';
import { derivedStart, macToNumber, numberToMac } from '../../src/plan/mac-address.js';
import { seededRandom } from '../support/seeded-random.js';
import { firstClash } from './fixtures.js';

const nics = (n: number, tvds = 200): NicRef[] => Array.from({ length: n }, (_, i) => ({ vm: `v${i}`, index: 0, tvd: `t${i % tvds}` }));
const derived = (vm: string, tvd: string) => numberToMac(derivedStart(vm, tvd));

test('100,000 NICs without MACs get 100,000 distinct unicast MACs of 00:16:3e:00-7f', () => {
  const all = nics(100_000);
  const r = assignMacs(all, new Map());
  assert.deepEqual(r.errors, []);
  const macs = [...r.macs.values()];
  assert.equal(macs.length, all.length);
  assert.equal(new Set(macs).size, all.length);
  for (const m of macs) assert.match(m, /^00:16:3e:[0-7][0-9a-f](:[0-9a-f]{2}){2}$/);
  // A hash alone collides here (by the birthday bound about 600 times): those NICs moved on.
  const moved = all.filter((n) => r.macs.get(nicKey(n.vm, n.tvd)) !== derived(n.vm, n.tvd)).length;
  assert.ok(moved > 100, `${moved} NICs probed past a clash`);
});

test('the result does not depend on the order of VMs or NICs (YAML key order)', () => {
  const all = nics(20_000);
  const shuffled = [...all];
  const rnd = seededRandom(21);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  assert.deepEqual([...assignMacs(shuffled, new Map()).macs].sort(), [...assignMacs(all, new Map()).macs].sort());
});

test('two NICs whose hash lands on one MAC: the first by (VM, TVD) keeps it, the other takes the next free one', () => {
  const [a, b] = firstClash('v', (vm) => derivedStart(vm, 'web'));
  const r = assignMacs(
    [
      { vm: b, index: 0, tvd: 'web' },
      { vm: a, index: 0, tvd: 'web' },
    ],
    new Map(),
  );
  assert.equal(r.macs.get(nicKey(a, 'web')), derived(a, 'web'));
  assert.equal(r.macs.get(nicKey(b, 'web')), numberToMac(derivedStart(a, 'web') + 1));
});

test('a MAC given by hand is kept, and derived MACs step past it', () => {
  const hand = derived('w1', 'web');
  const r = assignMacs(
    [
      { vm: 'w1', index: 0, tvd: 'web' },
      { vm: 'w2', index: 0, tvd: 'web', mac: hand.toUpperCase() },
    ],
    new Map(),
  );
  assert.deepEqual(r.errors, []);
  assert.equal(r.macs.get(nicKey('w2', 'web')), hand, 'given by hand (compared in lower case)');
  assert.equal(r.macs.get(nicKey('w1', 'web')), numberToMac(macToNumber(hand) + 1));
});

test('two NICs given one MAC by hand is an error naming both (the topology check places it first)', () => {
  const r = assignMacs(
    [
      { vm: 'a', index: 0, tvd: 'web', mac: '00:16:3e:00:01:10' },
      { vm: 'b', index: 1, tvd: 'db', mac: '00:16:3E:00:01:10' },
    ],
    new Map(),
  );
  assert.deepEqual(r.errors, ['vms.b.nics[1].mac 00:16:3e:00:01:10 is also given to vms.a.nics[0]; each NIC needs its own MAC']);
});

test('a MAC recorded in the state wins for its NIC, and no other NIC is derived onto a recorded MAC', () => {
  const [a, b] = firstClash('v', (vm) => derivedStart(vm, 'web'));
  // b (deployed alone before) holds the slot a hashes to; a is new and sorts first, yet b keeps it.
  const recorded = new Map([
    [nicKey(b, 'web'), derived(b, 'web')],
    [nicKey('gone', 'web'), derived('x1', 'web')],
  ]);
  const r = assignMacs(
    [
      { vm: a, index: 0, tvd: 'web' },
      { vm: b, index: 0, tvd: 'web' },
      { vm: 'x1', index: 0, tvd: 'web' },
    ],
    recorded,
  );
  assert.equal(r.macs.get(nicKey(b, 'web')), derived(b, 'web'));
  assert.equal(r.macs.get(nicKey(a, 'web')), numberToMac(derivedStart(a, 'web') + 1));
  // A VM on its way out keeps its MAC reserved while the state records it.
  assert.equal(r.macs.get(nicKey('x1', 'web')), numberToMac(derivedStart('x1', 'web') + 1));
  // A recorded MAC that was once given by hand stays too: a deployed MAC does not change.
  const kept = assignMacs([{ vm: 'w1', index: 0, tvd: 'web' }], new Map([[nicKey('w1', 'web'), '52:54:00:12:34:56']]));
  assert.equal(kept.macs.get(nicKey('w1', 'web')), '52:54:00:12:34:56');
});

test('a deployed MAC another NIC now gives by hand moves, with a warning', () => {
  const r = assignMacs(
    [
      { vm: 'w1', index: 0, tvd: 'web' },
      { vm: 'w2', index: 0, tvd: 'web', mac: '00:16:3e:00:00:07' },
    ],
    new Map([[nicKey('w1', 'web'), '00:16:3e:00:00:07']]),
  );
  assert.equal(r.macs.get(nicKey('w2', 'web')), '00:16:3e:00:00:07');
  assert.notEqual(r.macs.get(nicKey('w1', 'web')), '00:16:3e:00:00:07');
  assert.deepEqual(r.warnings, [
    'vms.w1.nics[0] has MAC 00:16:3e:00:00:07 deployed, which vms.w2.nics[0].mac now gives by hand; vms.w1.nics[0] gets another',
  ]);
});

test("recordedMacs reads the MACs of the state's VMs by (VM, TVD), lower case, and skips what is not a unicast MAC", () => {
  const vm = (host: string, name: string, nics: unknown) => ({
    host,
    type: 'vm' as const,
    name,
    attrs: { nics },
    status: 'applied' as const,
  });
  const got = recordedMacs([
    vm('h2', 'w1', [{ tvd: 'web', mac: '00:16:3e:00:00:02' }]),
    vm('h1', 'w1', [
      { tvd: 'web', mac: '00:16:3E:00:00:01' },
      { tvd: 'db', mac: '01:00:5e:00:00:01' },
    ]),
    vm('h1', 'w2', [null, { mac: '00:16:3e:00:00:03' }, { tvd: 'web', mac: 'nonsense' }]),
    {
      host: 'h1',
      type: 'proxy' as const,
      name: 'h1',
      attrs: { admissions: [{ vm: 'w3', tvd: 'web', mac: '00:16:3e:00:00:04' }] },
      status: 'applied' as const,
    },
  ]);
  assert.deepEqual(
    Object.fromEntries(got),
    { 'w1/web': '00:16:3e:00:00:01' },
    'a VM on two hosts (a move half done): the first host by name',
  );
});
