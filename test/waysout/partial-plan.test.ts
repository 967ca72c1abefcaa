// Issue 22, pure: which actions a partial plan keeps (--target, --limit, hosts not read), what
// `tvd state rm` leaves, and what the plan text says of a partial plan and of adopted records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build-plan.js';
import { selectActions } from '../../src/plan/target.js';
import type { Plan } from '../../src/plan/plan.js';
import { removeFromState } from '../../src/state/remove.js';
import { planText } from '../../src/cli/plan-text/plan-text.js';
import { palette } from '../../src/cli/palette.js';
import { emptyState, stateOf, webDb, webDbCaps } from '../plan/fixtures.js';
import { actionAddress, parsePartialAddress, type PartialAddress } from '../../src/address/address.js';

const full = () => buildPlan({ topology: webDb(), topologyDigest: 'x', capabilities: webDbCaps(), state: emptyState(), hookDigest: 'h' });
const keys = (p: Plan['actions']) => p.map((a) => `${a.action} ${actionAddress(a)}`);
const targets = (...ts: string[]) => ts.map((t) => parsePartialAddress(t) as PartialAddress);

test('a target: those actions and, on their host, what they need first (a VM: the proxy and its vswitches)', () => {
  const { plan } = full();
  const vm = plan.actions.find((a) => a.resource.type === 'vm')!;
  const got = keys(selectActions(plan.actions, { targets: targets(`${vm.host}/vm/${vm.resource.name}`) }));
  const tvds = (vm.after as { nics: { tvd: string }[] }).nics.map((n) => n.tvd);
  assert.deepEqual(
    got.sort(),
    [
      `create ${vm.host}/proxy/${vm.host}`,
      ...tvds.map((t) => `create ${vm.host}/vswitch/${t}`),
      `create ${vm.host}/vm/${vm.resource.name}`,
    ].sort(),
  );
  // A whole host, and a type on a host.
  const host = vm.host;
  assert.deepEqual(keys(selectActions(plan.actions, { targets: targets(host) })), keys(plan.actions.filter((a) => a.host === host)));
  const encaps = selectActions(plan.actions, { targets: targets(`${host}/encap`) });
  assert.ok(
    encaps.every((a) => a.host === host && ['encap', 'vswitch'].includes(a.resource.type)),
    keys(encaps).join('\n'),
  );
});

test('--limit keeps every action on its hosts; frozen hosts (not read) get none; a delete takes what needs it along', () => {
  const { plan, desired } = full();
  const hosts = [...new Set(plan.actions.map((a) => a.host))];
  assert.ok(hosts.length >= 2);
  assert.deepEqual(
    keys(selectActions(plan.actions, { targets: [], hosts: new Set([hosts[0]]) })),
    keys(plan.actions.filter((a) => a.host === hosts[0])),
  );
  assert.deepEqual(
    keys(selectActions(plan.actions, { targets: [], frozen: new Set([hosts[0]]) })),
    keys(plan.actions.filter((a) => a.host !== hosts[0])),
  );
  // Destroy towards nothing, targeting one vswitch: its VMs, tunnel and firewall go with it, nothing else.
  const state = stateOf(desired.resources);
  const destroy = buildPlan({
    topology: webDb(),
    topologyDigest: 'x',
    capabilities: webDbCaps(),
    state,
    hookDigest: 'h',
    destroy: true,
  }).plan;
  const sw = destroy.actions.find((a) => a.resource.type === 'vswitch')!;
  const got = selectActions(destroy.actions, { targets: targets(`${sw.host}/vswitch/${sw.resource.name}`) });
  assert.ok(
    got.some((a) => a.resource.type === 'vm'),
    keys(got).join('\n'),
  );
  assert.ok(
    got.every((a) => a.host === sw.host && a.action === 'delete' && a.resource.type !== 'proxy'),
    keys(got).join('\n'),
  );
});

test('targets are checked: a host, host/type or host/type/name, of known types', () => {
  assert.deepEqual(parsePartialAddress('h1/vm/web'), { host: 'h1', type: 'vm', name: 'web' });
  assert.deepEqual(parsePartialAddress('h1'), { host: 'h1' });
  for (const bad of ['', 'H1', 'h1/', 'h1/bogus', 'h1/vm/web/x', 'h1//web', '../x']) assert.ok('error' in parsePartialAddress(bad), bad);
});

test('state rm: the next serial, only what was named, the lineage and ids kept; unknown addresses refused', () => {
  const { desired } = full();
  const state = { ...stateOf(desired.resources), serial: 4 };
  const host = desired.resources[0].address.host;
  const r = removeFromState(state, [host]);
  assert.equal(r.state.serial, 5);
  assert.equal(r.state.lineage, state.lineage);
  assert.deepEqual(r.state.allocations, state.allocations);
  assert.ok(r.removed.length > 0 && r.removed.every((a) => a.startsWith(`${host}/`)));
  assert.equal(r.state.resources.length, state.resources.length - r.removed.length);
  assert.throws(() => removeFromState(state, [`${host}/vm/nope`]), /no record at .*\/vm\/nope.*Nothing was changed/);
  assert.throws(() => removeFromState(state, ['Bad']), /not a target/);
});

test('the text of a partial plan says so, names a skipped host, and names records adopted from a host', () => {
  const { plan } = full();
  const a = plan.actions.find((x) => x.resource.type === 'vm')!;
  const partial: Plan = {
    ...plan,
    actions: [{ ...a, action: 'update', before: a.after, changed: [], reason: 'adopted' }],
    partial: {
      targets: [`${a.host}/vm/${a.resource.name}`],
      limit: [],
      skipped: [{ host: 'node-9', reason: 'host node-9 (198.18.0.99:22): connection refused', resources: 3 }],
      omitted: 7,
    },
  };
  const out = planText(partial, palette(false));
  assert.match(out, /^Warning: this plan is partial\. It covers only the targets \S+ \(and what they need on their hosts\)\./);
  assert.match(
    out,
    /host node-9 \(198\.18\.0\.99:22\) skipped, unreachable: connection refused\n {2}its 3 recorded resources are kept as they are; nothing is planned for it/,
  );
  assert.match(out, /7 actions of the whole plan are left out/);
  assert.match(out, new RegExp(`# ${a.host}/vm/${a.resource.name} was adopted from host ${a.host}`));
  assert.match(out, new RegExp(`\\nadopted from host: ${a.host}/vm/${a.resource.name}\\n`));
  assert.doesNotMatch(planText(plan, palette(false)), /partial/);
});
