// The plan as people read it, from real plans of the planner: golden files of the text (pure:
// no CLI, no hosts), and the properties the issue asked for checked one by one.
// UPDATE_GOLDEN=1 rewrites the golden files; review the diff before committing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/plan.js';
import type { Topology } from '../../src/topology/schema.js';
import type { State } from '../../src/state/state.js';
import { planText } from '../../src/cli/plan-text/plan-text.js';
import { palette } from '../../src/cli/palette.js';
import { fold } from '../../src/cli/plan-text/lines.js';
import { sequenceDiff } from '../../src/cli/plan-text/sequence-diff.js';
import { caps, emptyState, stateOf, webDb, webDbCaps } from '../plan/fixtures.js';

const GOLDEN = fileURLToPath(new URL('../../../test/ux/golden/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';
const plain = palette(false);
const WIDTH = 100;

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (update) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `missing golden file ${file}: run with UPDATE_GOLDEN=1`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`);
}

const plan = (t: Topology, state: State = emptyState(), capabilities = webDbCaps()): Plan =>
  buildPlan({ topology: t, topologyDigest: 'sha256:x', capabilities, state, hookDigest: 'h' }).plan;
const deployed = (t: Topology, capabilities = webDbCaps()) =>
  stateOf(buildPlan({ topology: t, topologyDigest: 'x', capabilities, state: emptyState(), hookDigest: 'h' }).desired.resources);
const text = (p: Plan, o: Parameters<typeof planText>[2] = {}) => planText(p, plain, { width: WIDTH, ...o });

/** The two examples: an allowed port 5432 -> 5433, and memory 256 -> 512 of a running VM. */
function portAndMemory(): Plan {
  const t = webDb();
  t.vms!.d1.start = true;
  t.vms!.d1.memory = 256;
  const state = deployed(t);
  t.flows![0].allow![0].port = 5433;
  t.vms!.d1.memory = 512;
  return plan(t, state);
}

test('a port change shows the changed member of the changed rule, and the ruleset line by line', () => {
  const out = text(portAndMemory());
  golden('plan-port-and-memory.txt', out);
  assert.match(out, /~ \{ direction = "outbound", peer = "db", proto = "tcp", port = 5432 -> 5433 \},/);
  assert.match(out, /^ +- +iifname "lan0" oifname "to-\d+" ip daddr 198\.19\.41\.0\/24 tcp dport 5432/m);
  assert.match(out, /^ +\+ +iifname "lan0" oifname "to-\d+" ip daddr 198\.19\.41\.0\/24 tcp dport 5433/m);
  assert.doesNotMatch(out, /\.\.\.|\(same\)/, 'nothing is cut');
});

test('a memory change of a running VM: the xl.cfg line diff, forces replacement, and the restart said', () => {
  const out = text(portAndMemory());
  assert.match(out, /# node-2\/vm\/d1 must be replaced: a running VM reads its config only when it boots\n/);
  assert.match(out, /# restarts VM d1: xl destroy, then xl create/);
  assert.match(out, /~ config = <<-EOT {2}# forces replacement\n/);
  assert.match(out, /^ +- memory = 256\n +\+ memory = 512\n/m);
  assert.match(out, /# \(3 unchanged attributes hidden\)/);
});

test('create shows every attribute: objects, lists, the xl.cfg and the ruleset', () => {
  const out = text(plan(webDb()));
  golden('plan-create.txt', out);
  assert.match(out, /\+ rules += \[\n +\+ \{ direction = "inbound", peer = "web", proto = "tcp", port = 5432 \},\n +\]/);
  assert.match(out, /\+ ruleset += <<-EOT\n +# tvd firewall of TVD db/);
  assert.match(out, /\+ config += <<-EOT\n +# VM d1 on host node-2/);
});

test('a replace names the attribute that forces it, on its line and in the reason', () => {
  const t = webDb();
  const state = deployed(t);
  t.tvds.web.vni = 7777;
  const out = text(plan(t, state));
  golden('plan-replace.txt', out);
  assert.match(
    out,
    /# node-1\/vswitch\/web must be replaced: bridge cannot change in place\n +-\/\+ node-1\/vswitch\/web\n +~ bridge = "tvd-\d+" -> "tvd-7777" {2}# forces replacement/,
  );
  assert.match(out, /# node-2\/firewall\/web must be replaced: bridge and leg cannot change in place/);
});

test('reasons in English: tainted, changed outside of tvd with what was found', () => {
  const t = webDb();
  const state = deployed(t);
  state.resources = state.resources.map((r) => (r.type === 'vm' && r.name === 'w1' ? { ...r, status: 'tainted' as const } : r));
  const p = buildPlan({
    topology: t,
    topologyDigest: 'x',
    capabilities: webDbCaps(),
    state,
    hookDigest: 'h',
    drift: [{ address: 'node-2/vswitch/db', kind: 'changed', detail: 'bridge tvd-470169 is gone' }],
  }).plan;
  const out = text(p);
  assert.match(
    out,
    /# node-1\/vm\/w1 is tainted: an earlier apply failed part-way through it, so it is made again\n +-\/\+ node-1\/vm\/w1\n/,
  );
  assert.match(out, /# node-2\/vswitch\/db was changed outside of tvd: bridge tvd-470169 is gone\n +~ node-2\/vswitch\/db\n/);
});

test('--explain: the mechanism of each host pair, with the evidence that decided it', () => {
  const t: Topology = {
    version: 1,
    tvds: { web: { subnet: '198.19.40.0/24', vlan: 101 } },
    hosts: {
      h1: { address: '198.18.0.11', uplink: 'eth0', segment: 'a' },
      h2: { address: '198.18.0.12', uplink: 'eth0', segment: 'a' },
      h3: { address: '198.18.0.13', uplink: 'eth0', segment: 'a' },
    },
    vms: Object.fromEntries(
      ['h1', 'h2', 'h3'].map((h, i) => [`w${i}`, { host: h, memory: 128, nics: [{ tvd: 'web', ip: `198.19.40.${10 + i}` }] }]),
    ),
  };
  const c = { h1: caps('h1', '198.18.0.11', { vlan: true }), h2: caps('h2', '198.18.0.12', { vlan: true }), h3: caps('h3', '198.18.0.13') };
  const out = text(plan(t, emptyState(), c), { explain: true, width: 140 });
  golden('plan-explain.txt', out);
  assert.match(out, /^ {4}h1 - h2: VLAN 101, since both are in segment a and support 802\.1Q$/m);
  assert.match(
    out,
    /^ {4}h1 - h3: VXLAN \(VNI \d+\), because h3 has no VLAN \(its capability model: mechanisms\.vlan is false, functional lacks "vlan"\)$/m,
  );
  assert.doesNotMatch(text(plan(t, emptyState(), c)), /How each TVD crosses/, 'only with --explain');
});

test('warnings that come back on every plan are not repeated under "No changes"; news still is', () => {
  const t = webDb();
  const state = deployed(t);
  const p = plan(t, state);
  assert.equal(p.actions.length, 0);
  assert.ok(p.warnings.length > 0);
  const quiet = text(p);
  assert.match(quiet, /^No changes\./);
  assert.doesNotMatch(quiet, /raise the uplink MTU/);
  assert.match(quiet, /1 warning about the topology, shown by every plan with changes, left out; --verbose shows them/);
  assert.match(text(p, { verbose: true }), /raise the uplink MTU/);
  const news = {
    ...p,
    warnings: [...p.warnings, 'host node-2 does not meet tvds.db.requires.x (membership.onFailure: warn)'],
    warningCodes: [...p.warningCodes!, 'membership' as const],
  };
  assert.match(text(news), /Warnings:\n {2}- host node-2 does not meet/);
  const withChanges = text(portAndMemory());
  assert.equal(withChanges.match(/raise the uplink MTU/g)?.length, 1, 'once per plan');
});

test('--verbose shows unchanged attributes and the whole text', () => {
  const out = text(portAndMemory(), { verbose: true });
  assert.doesNotMatch(out, /unchanged (attribute|line)s? hidden/);
  assert.match(out, /^ +namespace += "tvdfw-db"$/m);
});

test('long lines are folded within the width, each piece with the sign of its side; none is cut', () => {
  const out = text(portAndMemory());
  for (const line of out.split('\n')) assert.ok(line.length <= WIDTH, `too wide: ${line}`);
  const pieces = fold('iifname "to-470169" oifname "lan0" ip daddr 198.19.41.0/24 tcp dport 5432 ct state new accept', 40);
  assert.ok(
    pieces.every((p, i) => p.length <= 40 && (i === pieces.length - 1 || p.endsWith(' \\'))),
    pieces.join('\n'),
  );
  assert.equal(
    pieces.map((p) => p.replace(/ \\$/, '')).join(' '),
    'iifname "to-470169" oifname "lan0" ip daddr 198.19.41.0/24 tcp dport 5432 ct state new accept',
  );
});

test('the sequence diff keeps the common lines and orders removals before additions', () => {
  const ops = sequenceDiff(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']).map((e) => `${e.op[0]}${e.item}`);
  assert.deepEqual(ops, ['ka', 'rb', 'ax', 'kc', 'kd', 'ae']);
  assert.deepEqual(
    sequenceDiff([], ['a']).map((e) => e.op),
    ['add'],
  );
  assert.deepEqual(
    sequenceDiff(['a'], []).map((e) => e.op),
    ['remove'],
  );
});

test('destroy with nothing to destroy says so', () => {
  const empty = plan(webDb(), emptyState());
  const nothing = { ...empty, actions: [], summary: { create: 0, update: 0, delete: 0, replace: 0 } };
  assert.match(text(nothing, { verb: 'destroy' }), /^Nothing to destroy\. The state records nothing that tvd put on these hosts\.\n/);
});
