// Golden files of everything the renderer writes, and shellcheck on every script among them.
// UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import {
  BOOT_SCRIPT,
  BOOT_UNIT,
  VIF_HOOK,
  policyFile,
  renderDown,
  renderHostBundle,
  renderManifestScript,
  renderUp,
  type BundleStep,
} from '../../src/apply/render/index.js';
import * as fx from './fixtures.js';

const GOLDEN = fileURLToPath(new URL('../../../test/render/golden/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (update || !existsSync(file)) {
    if (!update) assert.fail(`missing golden file ${file}: run with UPDATE_GOLDEN=1`);
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`);
}

export const bundleSteps: BundleStep[] = [
  { address: fx.proxy.address, action: 'create', after: fx.proxy },
  { address: fx.vswitch.address, action: 'create', after: fx.vswitch },
  { address: fx.transitVeth.address, action: 'replace', before: fx.transitVeth, after: fx.transitVxlan },
  { address: fx.vmStarted.address, action: 'update', before: fx.vmStarted, after: fx.vmStartedTwoNics },
  { address: fx.vmStopped.address, action: 'delete', before: fx.vmStopped },
];

/** Every script the renderer produces, by golden file name. */
export function allScripts(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [label, r] of Object.entries(fx.ALL)) {
    out[`${label}.up.sh`] = renderUp(r);
    out[`${label}.down.sh`] = renderDown(r);
  }
  out['bundle.sh'] = renderHostBundle('host-a', bundleSteps);
  out['bundle-empty.sh'] = renderHostBundle('host-a', []);
  out['manifest.sh'] = renderManifestScript();
  out['vif-tvd.sh'] = VIF_HOOK;
  out['boot.sh'] = BOOT_SCRIPT;
  return out;
}

test('rendered scripts match their golden files', () => {
  for (const [name, text] of Object.entries(allScripts())) golden(name, text);
  golden('tvd-boot.service', BOOT_UNIT);
  golden('policy.json', policyFile('host-a', fx.proxy.attrs.admissions));
});

test('rendering is deterministic', () => {
  assert.deepEqual(allScripts(), allScripts());
});

test('shellcheck -s sh finds nothing in any rendered script, the vif hook or boot.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-shellcheck-'));
  try {
    const files = Object.entries(allScripts()).map(([name, text]) => {
      const f = join(dir, name);
      writeFileSync(f, text);
      return f;
    });
    const r = spawnSync('shellcheck', ['-s', 'sh', '-S', 'style', ...files], { encoding: 'utf8' });
    assert.equal(r.error, undefined, `shellcheck did not run: ${r.error}`);
    assert.equal(r.status, 0, `shellcheck findings:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policy.json is JSON and the hook line for each admission is exactly one of its lines', () => {
  const text = policyFile('host-a', fx.proxy.attrs.admissions);
  const doc = JSON.parse(text);
  assert.deepEqual(doc.bridges, { 'tvd-5101': 'web', 'tvd-5102': 'db' });
  assert.equal(doc.admissions.length, 3);
  const lines = text.split('\n');
  for (const a of fx.proxy.attrs.admissions) {
    const line = `{"vm":"${a.vm}","bridge":"${a.bridge}","mac":"${a.mac}"}`;
    assert.equal(lines.filter((l) => l === line || l === `${line},`).length, 1, line);
  }
  const empty = JSON.parse(policyFile('host-a', []));
  assert.deepEqual(empty.admissions, []);
});
