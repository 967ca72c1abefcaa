// The CI examples are YAML their CI accepts the shape of, and every `tvd` option they use exists:
// a renamed flag must not leave the pipelines that people copy silently broken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { buildProgram } from '../../src/cli/program.js';

const CI = fileURLToPath(new URL('../../../examples/ci/', import.meta.url));

/** Every `tvd <command> ... --flag` in the text, joined across `\` line continuations. */
function tvdCalls(text: string): { command: string; flags: string[] }[] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  return [...joined.matchAll(/\btvd (init|validate|capabilities|plan|apply|destroy|verify|show|force-unlock|graph)\b([^\n#;|&>`]*)/g)].map(
    (m) => ({
      command: m[1],
      flags: [...m[2].matchAll(/(--[a-z][a-z-]*)/g)].map((f) => f[1]),
    }),
  );
}

function assertFlagsExist(text: string, file: string): void {
  const program = buildProgram();
  const calls = tvdCalls(text);
  assert.ok(calls.length >= 3, `${file}: tvd calls found`);
  for (const c of calls) {
    const cmd = program.commands.find((x) => x.name() === c.command)!;
    const known = new Set(cmd.options.flatMap((o) => [o.long, o.negate ? o.long : undefined]).filter(Boolean));
    for (const f of c.flags) assert.ok(known.has(f), `${file}: tvd ${c.command} has no option ${f}`);
  }
}

test('GitHub Actions: plan --out with --detailed-exitcode on pull requests, comment, apply the saved plan on main; keys from secrets', () => {
  const text = readFileSync(join(CI, 'github-actions.yml'), 'utf8');
  const wf = yaml.load(text) as {
    on: Record<string, unknown>;
    jobs: Record<string, { steps: { run?: string; uses?: string }[]; if?: string; environment?: string }>;
  };
  assert.ok(wf.on.pull_request && wf.on.push);
  const runs = (job: string) => wf.jobs[job].steps.map((s) => s.run ?? '').join('\n');
  assert.match(runs('plan'), /tvd plan "\$TVD_TOPOLOGY" --out tvd\.plan --detailed-exitcode/);
  assert.match(runs('plan'), /gh pr comment/);
  assert.match(runs('apply'), /tvd apply tvd\.plan/);
  assert.match(wf.jobs.apply.if!, /refs\/heads\/main/);
  assert.match(text, /secrets\.TVD_KNOWN_HOSTS/);
  assert.match(text, /--known-hosts "\$RUNNER_TEMP\/tvd\/known_hosts"/);
  assertFlagsExist(text, 'github-actions.yml');
});

test('GitLab CI: plan on merge requests with a note, manual apply of the saved plan on the default branch; keys from file variables', () => {
  const text = readFileSync(join(CI, 'gitlab-ci.yml'), 'utf8');
  const ci = yaml.load(text) as Record<string, { script?: string[]; rules?: { if: string; when?: string }[] }>;
  const plan = ci.plan.script!.join('\n');
  assert.match(plan, /tvd plan "\$TVD_TOPOLOGY" --out tvd\.plan --detailed-exitcode/);
  assert.match(plan, /merge_requests\/\$CI_MERGE_REQUEST_IID\/notes/);
  assert.match(ci.apply.script!.join('\n'), /tvd apply tvd\.plan/);
  assert.deepEqual(ci.apply.rules, [{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual' }]);
  assert.match(text, /--known-hosts \$TVD_KNOWN_HOSTS/);
  assertFlagsExist(text, 'gitlab-ci.yml');
});

/** tvd is not on the npm registry: a pipeline installs the tarball `npm pack` made, never the bare name. */
function assertInstallsThePackedTarball(text: string, file: string): void {
  // Comments may warn against it; no command may do it.
  const commands = text.replace(/(^|\s)#.*$/gm, '');
  assert.doesNotMatch(commands, /npm (install|i) (--global|-g) tvd\b(?!-)/, `${file}: installs a registry package named tvd`);
  assert.match(text, /npm pack\b/, `${file}: packs tvd`);
  assert.match(text, /npm install --global [^\n]*tvd-\*\.tgz/, `${file}: installs the packed tarball`);
}

test('the CI examples pack tvd from its repository once and install that tarball in every job that runs it', () => {
  const gh = readFileSync(join(CI, 'github-actions.yml'), 'utf8');
  assertInstallsThePackedTarball(gh, 'github-actions.yml');
  const wf = yaml.load(gh) as {
    jobs: Record<string, { needs?: string | string[]; steps: { run?: string; uses?: string; with?: Record<string, string> }[] }>;
  };
  for (const job of ['plan', 'apply']) {
    assert.ok([wf.jobs[job].needs].flat().includes('package'), `${job} needs the package job`);
    const steps = wf.jobs[job].steps;
    const get = steps.findIndex((s) => s.uses?.startsWith('actions/download-artifact') && s.with?.name === 'tvd-package');
    const install = steps.findIndex((s) => /npm install --global .*tvd-\*\.tgz/.test(s.run ?? ''));
    const first = steps.findIndex((s) => /\btvd (validate|plan|apply)\b/.test(s.run ?? ''));
    assert.ok(get >= 0 && get < install && install < first, `${job}: download, install, then run tvd`);
  }
  const gl = readFileSync(join(CI, 'gitlab-ci.yml'), 'utf8');
  assertInstallsThePackedTarball(gl, 'gitlab-ci.yml');
  const ci = yaml.load(gl) as Record<
    string,
    { stage?: string; needs?: string[]; artifacts?: { paths: string[] }; before_script?: string[] }
  >;
  assert.equal(ci['tvd-package'].stage, '.pre');
  assert.deepEqual(ci['tvd-package'].artifacts!.paths, ['tvd-*.tgz']);
  assert.deepEqual(ci['tvd-package'].before_script, [], 'the package job does not install what it is about to make');
  assert.ok(ci.apply.needs!.includes('tvd-package'), 'apply, which names its needs, gets the tarball too');
});

test('examples/ci/README.md documents --detailed-exitcode', () => {
  const text = readFileSync(join(CI, 'README.md'), 'utf8');
  assert.match(text, /## `--detailed-exitcode`/);
  for (const code of ['`0`', '`1`', '`2`']) assert.ok(text.includes(`| ${code} |`), code);
  assertFlagsExist(text, 'README.md');
});
