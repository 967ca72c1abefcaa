// The three ways the fleet benchmark pushes the same per-host bundles: tvd itself, parallel
// OpenSSH (the ideal: one connection, one stream in, one script run per host), and Ansible.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { LabInfo } from '../lab/lab-info.js';
import type { PlannedAction } from '../src/plan/plan.js';
import { renderHostBundle, shQuote, type BundleStep } from '../src/apply/render/index.js';
import { orderHostActions, toStep } from '../src/apply/apply-plan.js';
import type { SavedPlan } from '../src/cli/saved-plan.js';
import { timedChild, type ChildRun } from './child-run.js';
import { built, TVD_BIN } from './cli-snapshot.js';

function stepsByHost(planPath: string): Map<string, BundleStep[]> {
  const plan = JSON.parse(readFileSync(planPath, 'utf8')) as SavedPlan;
  const byHost = new Map<string, PlannedAction[]>();
  for (const a of plan.actions) byHost.set(a.host, [...(byHost.get(a.host) ?? []), a]);
  return new Map([...byHost].map(([host, actions]) => [host, orderHostActions(actions).map(toStep)]));
}

/** Writes DIR/<host>.sh for every host the saved plan touches: exactly what tvd apply sends. */
export function writeBundles(planPath: string, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const steps = stepsByHost(planPath);
  for (const [host, ss] of steps) writeFileSync(join(dir, `${host}.sh`), renderHostBundle(host, ss));
  return [...steps.keys()].sort();
}

/**
 * Writes DIR/<host>/<nnn>.sh: the same steps, one bundle per resource step, in the order tvd runs
 * them (how a playbook is usually written: a task per resource).
 */
export function writeStepBundles(planPath: string, dir: string): string[] {
  const steps = stepsByHost(planPath);
  for (const [host, ss] of steps) {
    mkdirSync(join(dir, host), { recursive: true });
    ss.forEach((step, i) => writeFileSync(join(dir, host, `${String(i).padStart(3, '0')}.sh`), renderHostBundle(host, [step])));
  }
  return [...steps.keys()].sort();
}

/** The built `tvd` (the bundle), or with `cli` = TVD_MODULES the same CLI as separate modules. */
export function tvdRun(args: string[], cli = TVD_BIN): Promise<ChildRun> {
  return timedChild([process.execPath, built(cli), ...args], { cpuGroup: true });
}

function sshBase(lab: LabInfo, kex?: string): string {
  const k = kex ? ` -o KexAlgorithms=${shQuote(kex)}` : '';
  return `ssh -F /dev/null -i ${shQuote(lab.identity)} -o UserKnownHostsFile=${shQuote(lab.knownHosts)} -o StrictHostKeyChecking=yes -o BatchMode=yes -o LogLevel=ERROR${k}`;
}

/**
 * (b) xargs -P: per host `ssh root@host sh -s < DIR/host.sh`, all at once up to `parallel`.
 * With `bundles` undefined, connect and exit (`ssh host true`): the floor of any SSH push. `kex`
 * picks the key exchange (default: OpenSSH's own choice).
 */
export async function opensshPush(
  lab: LabInfo,
  hosts: string[],
  parallel: number,
  work: string,
  bundles?: string,
  kex?: string,
): Promise<ChildRun> {
  const list = join(work, `xargs-${process.hrtime.bigint()}.txt`);
  const addr = new Map(lab.hosts.map((h) => [h.name, h]));
  writeFileSync(
    list,
    hosts.map((h) => `${addr.get(h)!.user}@${addr.get(h)!.address} ${bundles ? join(bundles, `${h}.sh`) : '-'}`).join('\n') + '\n',
  );
  // Each host's stderr to its own file, read only when something failed.
  const errs = join(work, `xargs-err-${process.hrtime.bigint()}`);
  mkdirSync(errs);
  const one = bundles
    ? `${sshBase(lab, kex)} "$0" "sh -s" < "$1" >/dev/null 2>${shQuote(errs)}/"\${0#*@}"`
    : `${sshBase(lab, kex)} "$0" true 2>${shQuote(errs)}/"\${0#*@}"`;
  const r = await timedChild(['sh', '-c', `xargs -P ${parallel} -n 2 sh -c ${shQuote(one)} < ${shQuote(list)}`], { cpuGroup: true });
  if (r.code !== 0) {
    const detail = readdirSync(errs)
      .map((f) => `${f}: ${readFileSync(join(errs, f), 'utf8').trim().split('\n').slice(-3).join(' / ')}`)
      .filter((l) => !l.endsWith(': '));
    r.stderr = detail.join('\n') + '\n' + r.stderr;
  }
  return r;
}

export function ansibleAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v ansible-playbook']).status === 0;
}

/** An inventory and ansible.cfg for the lab: forks as tvd's parallelism, pipelining on. */
export function ansibleSetup(lab: LabInfo, dir: string, forks: number): { cfg: string; inventory: string } {
  mkdirSync(dir, { recursive: true });
  const inventory = join(dir, 'inventory.ini');
  writeFileSync(
    inventory,
    [
      '[fleet]',
      ...lab.hosts.map((h) => `${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=${h.user}`),
      '',
      '[fleet:vars]',
      `ansible_ssh_private_key_file=${lab.identity}`,
      'ansible_python_interpreter=/usr/bin/python3',
      '',
    ].join('\n'),
  );
  const cfg = join(dir, 'ansible.cfg');
  writeFileSync(
    cfg,
    [
      '[defaults]',
      `inventory = ${inventory}`,
      `forks = ${forks}`,
      'gathering = explicit',
      'host_key_checking = True',
      'remote_tmp = /tmp/.ansible-tmp',
      `local_tmp = ${join(dir, 'local-tmp')}`,
      'retry_files_enabled = False',
      'interpreter_python = /usr/bin/python3',
      '',
      '[ssh_connection]',
      'pipelining = True',
      // Ansible's own connection reuse within one run; a fresh control folder per run (below).
      `ssh_args = -F /dev/null -o UserKnownHostsFile=${lab.knownHosts} -o StrictHostKeyChecking=yes -o ControlMaster=auto -o ControlPersist=5s`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'push.yml'),
    [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - name: copy and run the host bundle',
      '      script:',
      '        cmd: "{{ bundles }}/{{ inventory_hostname }}.sh"',
      '        executable: /bin/sh',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'push-steps.yml'),
    [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - name: copy and run each resource step',
      '      script:',
      '        cmd: "{{ item }}"',
      '        executable: /bin/sh',
      `      loop: "{{ query('fileglob', steps + '/' + inventory_hostname + '/*.sh') | sort }}"`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'noop.yml'),
    ['- hosts: all', '  gather_facts: false', '  tasks:', '    - name: nothing', '      command: /bin/true', ''].join('\n'),
  );
  return { cfg, inventory };
}

/**
 * (c) ansible-playbook with the bundles of `hosts` (or the no-op play); with `perStep`, `bundles`
 * holds writeStepBundles' folders and each step is a task of its own.
 */
export function ansiblePush(dir: string, hosts: string[], bundles?: string, log?: string, perStep = false): Promise<ChildRun> {
  const controlDir = join(dir, `cp-${process.hrtime.bigint()}`);
  mkdirSync(controlDir);
  const play = !bundles
    ? [join(dir, 'noop.yml')]
    : perStep
      ? [join(dir, 'push-steps.yml'), '-e', `steps=${bundles}`]
      : [join(dir, 'push.yml'), '-e', `bundles=${bundles}`];
  const env = `ANSIBLE_CONFIG=${shQuote(join(dir, 'ansible.cfg'))} ANSIBLE_SSH_CONTROL_PATH_DIR=${shQuote(controlDir)}`;
  return timedChild(['sh', '-c', `${env} exec ansible-playbook ${play.map(shQuote).join(' ')} --limit ${shQuote(hosts.join(','))}`], {
    stdoutFile: log,
    cpuGroup: true,
  });
}
