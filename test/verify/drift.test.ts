// Issue 6 on the lab: verify finds each kind of change with the right kind, host and resource;
// plan shows the repair ("changed outside of tvd"); apply makes verify clean again.
//   - a TVD bridge deleted            -> drift of the vswitch (and of what hung on it)
//   - a rule added to a firewall      -> drift of the firewall
//   - a vif added by hand to a bridge -> foreign, on that vswitch (traffic proves the hole);
//                                        apply releases it, and the hole closes
//   - a host's hypervisor digest      -> membership (the TVD pins the value)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunLab, hostExec, LAB_SKIP_REASON, vmExec, withLab } from '../../lab/api.js';
import { labArgs, tvd } from '../support/tvd-cli.js';
import { writeTopology } from '../support/example.js';
import { bridgeOf, changeHypervisor, labHypervisorDigest, restoreHypervisor, verifyTopology } from './lab-topology.js';

const PREFIX = `t6d${process.pid % 1000}`;

const pings = async (from: string, ip: string) =>
  (await vmExec(PREFIX, from, ['ping', '-n', '-q', '-c', '3', '-i', '0.2', '-W', '1', ip])).code === 0;

interface Json {
  findings: { kind: string; host: string; address?: string; message: string; tvd?: string; property?: string }[];
  hosts: { host: string }[];
}

async function verifyJson(path: string, args: string[]): Promise<{ code: number; json: Json; text: string }> {
  const r = await tvd(['verify', path, '--json', ...args]);
  assert.ok(r.code === 0 || r.code === 2, `verify exit ${r.code}: ${r.stdout}${r.stderr}`);
  return { code: r.code, json: JSON.parse(r.stdout) as Json, text: r.stdout };
}

const has = (j: Json, kind: string, host: string, address: string | undefined, re: RegExp) =>
  j.findings.some((f) => f.kind === kind && f.host === host && f.address === address && re.test(f.message));

test('verify: drift, foreign and membership findings; plan repairs; apply makes verify clean', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 600_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-t6d-'));
  try {
    await withLab({ hosts: 2, segments: 1, prefix: PREFIX }, async (lab) => {
      const state = join(dir, 'state.json');
      const args = labArgs(lab, state);
      const digest = await labHypervisorDigest(PREFIX, 'h1');
      const t = verifyTopology(lab, (t) => {
        t.tvds.red.requires = { 'hypervisor-integrity': { evidence: ['mutable-log'], value: digest } };
        t.tvds.red.membership = { check: 'continual', onFailure: 'warn', interval: '10m' };
      });
      const path = writeTopology(dir, t);
      const applied = await tvd(['apply', path, '--auto-approve', ...args]);
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);

      const clean = await tvd(['verify', path, ...args]);
      assert.equal(clean.code, 0, `verify right after apply: ${clean.stdout}${clean.stderr}`);
      assert.match(clean.stdout, /Clean: 2 hosts/);

      // Break three things on h1.
      const st = JSON.parse(readFileSync(state, 'utf8'));
      const red = bridgeOf(st, 'h1', 'red');
      const blue = bridgeOf(st, 'h1', 'blue');
      const fwHost = st.resources.find((r: { type: string; name: string }) => r.type === 'firewall' && r.name === 'blue').host as string;
      const broke = await hostExec(PREFIX, 'h1', ['sh', '-c', `ip link del ${blue}`]);
      assert.equal(broke.code, 0, broke.stderr);
      const nft = await hostExec(PREFIX, fwHost, [
        'ip',
        'netns',
        'exec',
        'tvdfw-red',
        'nft',
        'insert',
        'rule',
        'inet',
        'tvd',
        'forward',
        'accept',
      ]);
      assert.equal(nft.code, 0, nft.stderr);
      // A vif on red's bridge that the proxy never admitted: attached with Xen's stock script.
      const vif = await hostExec(PREFIX, 'h1', [
        'xl',
        'network-attach',
        'blue-1',
        `bridge=${red}`,
        'mac=00:16:3e:99:00:01',
        'ip=198.19.1.99',
        'script=vif-bridge',
      ]);
      assert.equal(vif.code, 0, vif.stdout + vif.stderr);
      // That is a hole in red's isolation: blue-1 now reaches red-1 directly.
      assert.ok(await pings('blue-1', '198.19.1.10'), 'the foreign vif puts blue-1 on red');

      const found = await verifyJson(path, args);
      assert.equal(found.code, 2, found.text);
      const j = found.json;
      assert.ok(has(j, 'drift', 'h1', 'h1/vswitch/blue', new RegExp(`bridge ${blue} is gone`)), found.text);
      assert.ok(has(j, 'drift', fwHost, `${fwHost}/firewall/red`, /nftables ruleset loaded in tvdfw-red was changed/), found.text);
      assert.ok(has(j, 'foreign', 'h1', 'h1/vswitch/red', new RegExp(`^vif\\S+ .*on bridge ${red} of TVD red`)), found.text);
      assert.ok(has(j, 'drift', 'h1', 'h1/vm/blue-1', /is on no bridge/), `the VM whose vif lost its bridge: ${found.text}`);
      assert.ok(!j.findings.some((f) => f.kind === 'membership'), found.text);

      const plan = await tvd(['plan', path, '--json', ...args]);
      assert.equal(plan.code, 0, plan.stdout + plan.stderr);
      const acts = (
        JSON.parse(plan.stdout).actions as { action: string; host: string; resource: { type: string; name: string }; reason?: string }[]
      ).map((a) => `${a.action} ${a.host}/${a.resource.type}/${a.resource.name}: ${a.reason ?? ''}`);
      for (const want of ['h1/vswitch/blue', `${fwHost}/firewall/red`, 'h1/vswitch/red', 'h1/vm/blue-1']) {
        assert.ok(
          acts.some((a) => a.startsWith(`update ${want}: drifted`)),
          `plan repairs ${want}:\n${acts.join('\n')}`,
        );
      }
      const text = await tvd(['plan', path, ...args]);
      assert.match(text.stdout, /changed outside of tvd/);

      const repaired = await tvd(['apply', path, '--auto-approve', ...args]);
      assert.equal(repaired.code, 0, repaired.stdout + repaired.stderr);
      const after = await tvd(['verify', path, ...args]);
      assert.equal(after.code, 0, `verify after the repair: ${after.stdout}${after.stderr}`);
      // The foreign vif is released, not deleted: it is not tvd's.
      const released = await hostExec(PREFIX, 'h1', ['sh', '-c', `ip -o link show master ${red}`]);
      assert.doesNotMatch(released.stdout, /\bvif\d+\.\d+/, 'the foreign vif is off the bridge');
      assert.ok(!(await pings('blue-1', '198.19.1.10')), 'and blue-1 no longer reaches red-1');
      assert.ok(await pings('red-1', '198.19.1.11'), 'red still works across hosts');
      assert.equal((await tvd(['plan', path, '--detailed-exitcode', ...args])).code, 0, 'nothing left to do');

      // The hypervisor of h2 changes: red pins its digest, so h2 no longer meets red's requirement.
      try {
        await changeHypervisor(PREFIX, 'h2');
        const m = await verifyJson(path, args);
        assert.equal(m.code, 2, m.text);
        const f = m.json.findings.filter((x) => x.kind === 'membership');
        assert.deepEqual(
          f.map((x) => [x.host, x.tvd, x.property]),
          [['h2', 'red', 'hypervisor-integrity']],
          m.text,
        );
        assert.match(f[0].message, /with value "sha256:[0-9a-f]{64}".*accepted: mutable-log with value/);
        const warnPlan = await tvd(['plan', path, ...args]);
        assert.equal(warnPlan.code, 0, warnPlan.stdout + warnPlan.stderr);
        assert.match(warnPlan.stdout + warnPlan.stderr, /onFailure: warn/);
      } finally {
        await restoreHypervisor(PREFIX, 'h2');
      }
      const back = await tvd(['verify', path, ...args]);
      assert.equal(back.code, 0, `verify once the digest is back: ${back.stdout}${back.stderr}`);

      // An error is exit 1, not a finding: here, a host whose key is not known.
      const empty = join(dir, 'empty_known_hosts');
      writeFileSync(empty, '');
      const refused = await tvd(['verify', path, '--state', state, '--known-hosts', empty, '--identity', lab.identity]);
      assert.equal(refused.code, 1, refused.stdout + refused.stderr);
      assert.match(refused.stderr, /h1/);

      const destroyed = await tvd(['destroy', path, '--auto-approve', ...args]);
      assert.equal(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
