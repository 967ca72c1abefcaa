// Files tvd writes on a host: configs 0644, scripts 0755, the policy and firewall rulesets 0600,
// tvd's own records private, all root-owned, nothing group- or world-writable, no temp file left;
// and every file is written through a temp file and a rename (never `>` onto the target).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { canRunLab, hostExec, LAB_SKIP_REASON } from '../../lab/api.js';
import { renderUp, renderDown } from '../../src/apply/render/index.js';
import { writeTopology } from '../support/example.js';
import { labArgs, tvd } from '../support/tvd-cli.js';
import { labPrefix, reportRow } from '../reliability/fault-kit.js';
import * as fx from '../render/fixtures.js';
import type { Topology } from '../../src/topology/schema.js';
import { withLabRun } from '../support/lab-run.js';

const PREFIX = labPrefix('s7m');

/** Expected mode by path; the first pattern that matches decides. */
const MODES: [RegExp, string][] = [
  // The mark of a folder tvd made (src/host/own-folders.ts).
  [/\/\.tvd-made$/, '644'],
  [/^\/etc\/xen\/tvd\/[^/]+\.cfg$/, '644'],
  [/^\/etc\/xen\/scripts\/vif-tvd$/, '755'],
  [/^\/var\/lib\/tvd\/boot\.sh$/, '755'],
  [/^\/etc\/systemd\/system\/tvd-boot\.service$/, '644'],
  [/^\/etc\/systemd\/system\/[^/]+\.wants\/tvd-boot\.service$/, 'link'],
  [/^\/var\/lib\/tvd\/policy\.json$/, '600'],
  [/^\/var\/lib\/tvd\/fw\/[^/]+$/, '600'],
  [/^\/var\/lib\/tvd\/res\/[^/]+\/(address|up|down|attrs\.json)$/, '600'],
  [/^\/var\/lib\/tvd\/nic\/[^/]+$/, '644'],
];

const FIND = `find /etc/xen/tvd /etc/xen/scripts/vif-tvd /var/lib/tvd /etc/systemd/system /var/log/tvd -newer /etc/hostname \\( -type f -o -type l -o -type d \\) -printf '%y %m %u %g %p\\n' 2>/dev/null | sort -k5`;

test('files on a host: modes, root ownership, nothing writable by others, no temp files left', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 60_000,
}, async (t) => {
  await withLabRun({ hosts: 1, prefix: PREFIX }, async ({ lab, dir }) => {
    const h = lab.hosts[0];
    const topo: Topology = {
      version: 1,
      tvds: { a: { subnet: '198.19.1.0/24' }, b: { subnet: '198.19.2.0/24' } },
      flows: [{ between: ['a', 'b'], connection: 'open' }],
      hosts: { [h.name]: { address: h.address, uplink: 'eth0', segment: h.segment } },
      vms: {
        va: { host: h.name, memory: 128, start: true, nics: [{ tvd: 'a', ip: '198.19.1.10' }] },
        vb: { host: h.name, memory: 128, start: false, nics: [{ tvd: 'b', ip: '198.19.2.10' }] },
      },
    };
    const r = await tvd(['apply', writeTopology(dir, topo), '--auto-approve', ...labArgs(lab, join(dir, 'state.json'))]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const found = await hostExec(PREFIX, h.name, ['sh', '-c', FIND]);
    const entries = found.stdout
      .trim()
      .split('\n')
      .map((l) => {
        const [type, mode, user, group, ...p] = l.split(' ');
        return { type, mode, user, group, path: p.join(' ') };
      });
    const problems: string[] = [];
    let files = 0;
    for (const e of entries) {
      if (e.user !== 'root' || e.group !== 'root') problems.push(`${e.path}: owned by ${e.user}:${e.group}`);
      if (e.type !== 'l' && (parseInt(e.mode, 8) & 0o022) !== 0) problems.push(`${e.path}: mode ${e.mode} is writable by others`);
      if (/\.tvd-tmp$|\.tmp$/.test(e.path)) problems.push(`${e.path}: a temp file was left`);
      if (e.type === 'd') continue;
      const want = MODES.find(([re]) => re.test(e.path))?.[1];
      if (e.type === 'l') continue;
      if (want === undefined) {
        if (!e.path.startsWith('/var/log/tvd/')) problems.push(`${e.path}: a file this test does not know (mode ${e.mode})`);
        continue;
      }
      files++;
      if (e.mode !== want) problems.push(`${e.path}: mode ${e.mode}, expected ${want}`);
    }
    for (const must of [
      '/var/lib/tvd/policy.json',
      '/etc/xen/scripts/vif-tvd',
      '/var/lib/tvd/boot.sh',
      '/etc/xen/tvd/va.cfg',
      '/etc/xen/tvd/vb.cfg',
    ]) {
      if (!entries.some((e) => e.path === must)) problems.push(`${must}: missing`);
    }
    if (!entries.some((e) => e.path.startsWith('/var/lib/tvd/fw/'))) problems.push('no firewall ruleset found');
    reportRow(t, {
      area: 'attack',
      attacksRefused: problems.length === 0 ? files : 0,
      note: `${files} files on a host: modes, owners, temp-and-rename`,
    });
    assert.deepEqual(problems, [], found.stdout);
  });
});

/** The script without comments and without multi-line quoted data (scripts and files carried as data). */
function code(script: string): string {
  return script
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/'[^']*\n[^']*'/g, "''");
}

test('rendered scripts write files only through a temp file and a rename', () => {
  const all = Object.values(fx.ALL).flatMap((r) => [renderUp(r), renderDown(r)]);
  const bad: string[] = [];
  for (const s of all) {
    for (const m of code(s).matchAll(/(?<![<>&0-9])(>>?)\s*([^\s;&|)]+)/g)) {
      const target = m[2];
      if (['/dev/null', '&2', '&1'].includes(target) || /\.tvd-tmp["']?$/.test(target)) continue;
      bad.push(`${m[0]}  in  ${s.split('\n')[1]}`);
    }
  }
  assert.ok(all.join('\n').includes('mv -f "$1.tvd-tmp" "$1"'), 'tvd_put renames its temp file into place');
  assert.deepEqual(bad, [], 'redirections onto a target file');
});
