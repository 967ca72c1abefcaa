// Apply to a fleet: a 32-host lab, the same per-host bundles pushed three ways in one run:
// (a) tvd apply, (b) parallel OpenSSH (xargs -P, one connection and one `sh -s` per host),
// (c) Ansible (forks = tvd's parallelism, pipelining on). First apply, a one-resource change,
// and a no-op; hosts are brought back to empty (tvd destroy) between (a), (b) and (c).
// Usage (root): node dist/bench/apply-fleet.js [--runs N] [--hosts 32] [--parallelism 32]
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { withLab, type LabInfo } from '../lab/api.js';
import { fleetTopology, withOneChange } from './fleet-topology.js';
import { enterCpuGroup } from './cpu-group.js';
import { ansibleAvailable, ansiblePush, ansibleSetup, opensshPush, tvdRun, writeBundles, writeStepBundles } from './fleet-pushers.js';
import { TVD_MODULES } from './cli-snapshot.js';
import type { ChildRun } from './child-run.js';
import { median, ratio, secs, spread } from './stats.js';
import { argNumber, isMain, printSection, table, type Section, type Target } from './section.js';
import { loadAverage, machineBusyMs, sshVersion } from './machine.js';

type Way = 'tvd' | 'openssh' | 'openssh-c25519' | 'ansible' | 'ansible-steps';
type Phase =
  | 'first'
  | 'change'
  | 'change-saved'
  | 'change-offline'
  | 'noop'
  | 'refresh'
  | 'noop-cpu'
  | 'plan-offline'
  | 'version'
  | 'plan-offline-modules'
  | 'version-modules';
const PHASES: Phase[] = ['first', 'change', 'change-saved', 'change-offline', 'noop'];
const KEX_OF_TVD = 'curve25519-sha256';

function ok(r: ChildRun, what: string): ChildRun {
  if (r.code !== 0)
    throw new Error(
      `${what} exited ${r.code}: ${r.stderr
        .split('\n')
        .filter((l) => !/^\t/.test(l))
        .slice(0, 12)
        .join('\n')}`,
    );
  return r;
}

async function oneRun(
  lab: LabInfo,
  work: string,
  parallelism: number,
  withAnsible: boolean,
  times: Map<string, number[]>,
  labCpuMs: () => number,
) {
  const add = (key: string, x: number) => times.set(key, [...(times.get(key) ?? []), x]);
  // A run gives its wall time, and under `cpu/` the CPU of the tool's own processes.
  const record = (way: Way, phase: Phase, x: number | ChildRun) => {
    if (typeof x === 'number') return add(`${way}/${phase}`, x);
    add(`${way}/${phase}`, x.ms);
    add(`${way}/cpu/${phase}`, x.groupCpuMs);
  };
  const ssh = ['--known-hosts', lab.knownHosts, '--identity', lab.identity];
  const t0 = fleetTopology(lab);
  const hosts = lab.hosts.map((h) => h.name);
  const [h1, h2, h3] = [hosts[0], hosts[1], hosts[2]];
  const t1 = withOneChange(t0, h1, 256);
  const t2 = withOneChange(t1, h2, 256);
  const files = [t0, t1, t2, withOneChange(t2, h3, 256)].map((t, i) => {
    const p = join(work, `topology-${i}.yaml`);
    writeFileSync(p, yaml.dump(t, { lineWidth: 200 }));
    return p;
  });
  const state = join(work, 'state.json');
  const args = (...a: string[]) => [...a, '--state', state, ...ssh, '--quiet', '--no-color'];
  rmSync(state, { force: true });

  // The plans tvd makes, saved, so that (b) and (c) push exactly the bundles tvd pushes.
  record(
    'tvd',
    'refresh',
    ok(await tvdRun(args('plan', files[0], '--out', join(work, 'p0.plan'), '--parallelism', String(parallelism))), 'tvd plan (first)'),
  );
  // (a) tvd: first apply, a change (plan refreshed from the hosts), a change from a saved plan, a no-op.
  record(
    'tvd',
    'first',
    ok(await tvdRun(args('apply', files[0], '--auto-approve', '--parallelism', String(parallelism))), 'tvd apply (first)'),
  );
  record(
    'tvd',
    'refresh',
    ok(await tvdRun(args('plan', files[1], '--out', join(work, 'p1.plan'), '--parallelism', String(parallelism))), 'tvd plan (change)'),
  );
  record(
    'tvd',
    'change',
    ok(await tvdRun(args('apply', files[1], '--auto-approve', '--parallelism', String(parallelism))), 'tvd apply (change)'),
  );
  record(
    'tvd',
    'refresh',
    ok(await tvdRun(args('plan', files[2], '--out', join(work, 'p2.plan'), '--parallelism', String(parallelism))), 'tvd plan (change 2)'),
  );
  record(
    'tvd',
    'change-saved',
    ok(await tvdRun(args('apply', join(work, 'p2.plan'), '--parallelism', String(parallelism))), 'tvd apply PLAN (change 2)'),
  );
  // A change planned from capability files and the trusted state: only the changed host is
  // talked to. The files are collected once (they change only when a host's kernel or Xen does).
  const caps = join(work, 'caps');
  ok(await tvdRun(['capabilities', files[0], '--out', caps, ...ssh, '--parallelism', String(parallelism)]), 'tvd capabilities');
  record(
    'tvd',
    'refresh',
    ok(await tvdRun(args('plan', files[3], '--out', join(work, 'p3.plan'), '--parallelism', String(parallelism))), 'tvd plan (change 3)'),
  );
  // What that apply does before it talks to a host (load, check and plan the fleet's files), and
  // Node's own start: the part of the row an `ssh` client does not have. The same two beside the
  // CLI as separate modules (what the bundle saves).
  const offline = args('plan', files[3], '--capabilities', caps, '--refresh=false');
  record('tvd', 'plan-offline', ok(await tvdRun(offline), 'tvd plan --refresh=false (change 3)'));
  record('tvd', 'plan-offline-modules', ok(await tvdRun(offline, TVD_MODULES), 'tvd plan --refresh=false, modules'));
  record('tvd', 'version', ok(await tvdRun(['--version']), 'tvd --version'));
  record('tvd', 'version-modules', ok(await tvdRun(['--version'], TVD_MODULES), 'tvd --version, modules'));
  record(
    'tvd',
    'change-offline',
    ok(
      await tvdRun(
        args('apply', files[3], '--capabilities', caps, '--refresh=false', '--auto-approve', '--parallelism', String(parallelism)),
      ),
      'tvd apply --refresh=false (change 3)',
    ),
  );
  // The no-ops also count the lab's CPU: what looking at every host costs, both sides of SSH.
  const busy = async (way: Way, r: () => Promise<ChildRun>): Promise<ChildRun> => {
    const b0 = labCpuMs();
    const done = await r();
    record(way, 'noop-cpu', labCpuMs() - b0);
    return done;
  };
  record(
    'tvd',
    'noop',
    ok(
      await busy('tvd', () => tvdRun(args('apply', files[3], '--auto-approve', '--parallelism', String(parallelism)))),
      'tvd apply (no-op)',
    ),
  );
  const deployed = join(work, 'state-deployed.json');
  copyFileSync(state, deployed);
  const destroy = async (what: string) => {
    copyFileSync(deployed, state);
    ok(await tvdRun(args('destroy', files[3], '--auto-approve', '--parallelism', String(parallelism))), `tvd destroy after ${what}`);
  };
  await destroy('tvd');

  const bundles = [0, 1, 2, 3].map((i) => {
    const dir = join(work, `bundles-${i}`);
    return { dir, hosts: writeBundles(join(work, `p${i}.plan`), dir) };
  });
  // (b) parallel OpenSSH with the same bundles.
  record('openssh', 'first', ok(await opensshPush(lab, bundles[0].hosts, parallelism, work, bundles[0].dir), 'openssh (first)'));
  record('openssh', 'change', ok(await opensshPush(lab, bundles[1].hosts, parallelism, work, bundles[1].dir), 'openssh (change)'));
  record('openssh', 'change-saved', ok(await opensshPush(lab, bundles[2].hosts, parallelism, work, bundles[2].dir), 'openssh (change 2)'));
  record(
    'openssh',
    'change-offline',
    ok(await opensshPush(lab, bundles[3].hosts, parallelism, work, bundles[3].dir), 'openssh (change 3)'),
  );
  record('openssh', 'noop', ok(await opensshPush(lab, hosts, parallelism, work), 'openssh (connect and exit)'));
  // The key exchange tvd's SSH library negotiates, for a like-for-like floor (OpenSSH 9 prefers
  // the post-quantum hybrid sntrup761x25519, which costs the client more CPU).
  record(
    'openssh-c25519',
    'noop',
    ok(
      await busy('openssh-c25519', () => opensshPush(lab, hosts, parallelism, work, undefined, KEX_OF_TVD)),
      'openssh (connect and exit, curve25519)',
    ),
  );
  await destroy('openssh');

  if (withAnsible) {
    const dir = join(work, 'ansible');
    ansibleSetup(lab, dir, parallelism);
    const log = join(work, 'ansible.log');
    const a = async (what: string, hs: string[], b?: string, perStep = false) => {
      const r = await ansiblePush(dir, hs, b, log, perStep);
      if (r.code !== 0)
        throw new Error(`ansible (${what}) exited ${r.code}:\n${readFileSync(log, 'utf8').slice(-3000)}\n${r.stderr.slice(0, 3000)}`);
      return r;
    };
    record('ansible', 'first', await a('first', bundles[0].hosts, bundles[0].dir));
    record('ansible', 'change', await a('change', bundles[1].hosts, bundles[1].dir));
    record('ansible', 'change-saved', await a('change 2', bundles[2].hosts, bundles[2].dir));
    record('ansible', 'change-offline', await a('change 3', bundles[3].hosts, bundles[3].dir));
    record('ansible', 'noop', await a('no-op', hosts));
    await destroy('ansible');
    // The same steps, a task each: how a playbook is usually written.
    const steps = [0, 1, 2, 3].map((i) => {
      const d = join(work, `steps-${i}`);
      return { dir: d, hosts: writeStepBundles(join(work, `p${i}.plan`), d) };
    });
    record('ansible-steps', 'first', await a('first, a task per step', steps[0].hosts, steps[0].dir, true));
    record('ansible-steps', 'change', await a('change, a task per step', steps[1].hosts, steps[1].dir, true));
    record('ansible-steps', 'change-saved', await a('change 2, a task per step', steps[2].hosts, steps[2].dir, true));
    record('ansible-steps', 'change-offline', await a('change 3, a task per step', steps[3].hosts, steps[3].dir, true));
    await destroy('ansible, a task per step');
  }
}

export async function run(opts: { runs?: number; hosts?: number; parallelism?: number } = {}): Promise<Section> {
  const runs = opts.runs ?? 3;
  const nHosts = opts.hosts ?? 32;
  const parallelism = opts.parallelism ?? nHosts;
  const withAnsible = ansibleAvailable();
  const work = mkdtempSync(join(tmpdir(), 'tvd-bench-fleet-'));
  const times = new Map<string, number[]>();
  const loads: string[] = [];
  // This process enters a cgroup before the lab starts, so that the lab's hosts (their sshd and
  // scripts) and every tool run are counted in it, and nothing else on the machine is. Without
  // cgroups, the machine's own counters stand in.
  const labGroup = enterCpuGroup();
  const byGroup = Number.isFinite(labGroup.usedMs());
  const labCpuMs = byGroup ? () => labGroup.usedMs() : machineBusyMs;
  try {
    await withLab({ hosts: nHosts, segments: 4, prefix: 'bfl' }, async (lab) => {
      for (let r = 0; r < runs; r++) {
        loads.push(loadAverage());
        const dir = join(work, `run${r}`);
        mkdirSync(dir);
        await oneRun(lab, dir, parallelism, withAnsible, times, labCpuMs);
      }
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
    await labGroup.leave();
  }
  // `of` is '' for wall times and 'cpu/' for the CPU of the tools' own processes.
  const m = (way: Way, phase: Phase, of = '') => median(times.get(`${way}/${of}${phase}`) ?? []);
  const cell = (way: Way, phase: Phase, of = '') => {
    const xs = times.get(`${way}/${of}${phase}`);
    return xs ? `${secs(median(xs))} (${spread(xs, secs)})` : 'not installed';
  };
  const label: Partial<Record<Phase, string>> = {
    first: `first apply (${nHosts} hosts, every resource created)`,
    change: 'one-resource change: `tvd apply FILE` (refreshes every host first)',
    'change-saved': 'one-resource change: `tvd apply PLAN` (a saved plan: only the changed host)',
    'change-offline': 'one-resource change: `tvd apply FILE --capabilities DIR --refresh=false` (only the changed host)',
    noop: 'no-op (OpenSSH: `ssh host true`; Ansible: one `command: /bin/true`)',
  };
  const header = [
    'step',
    'tvd',
    'OpenSSH (ideal)',
    'Ansible, one task per host',
    'Ansible, a task per step',
    'tvd / OpenSSH',
    'Ansible (one task) / tvd',
    'Ansible (a task per step) / tvd',
  ];
  const rowsOf = (of: string) =>
    PHASES.map((p) => [
      label[p] ?? p,
      cell('tvd', p, of),
      cell('openssh', p, of),
      withAnsible ? cell('ansible', p, of) : 'not installed',
      withAnsible ? (p === 'noop' ? 'as one task' : cell('ansible-steps', p, of)) : 'not installed',
      ratio(m('tvd', p, of) / m('openssh', p, of)),
      withAnsible ? ratio(m('ansible', p, of) / m('tvd', p, of)) : '–',
      withAnsible && p !== 'noop' ? ratio(m('ansible-steps', p, of) / m('tvd', p, of)) : '–',
    ]);
  const targets: Target[] = [
    {
      what: 'first apply: tvd / OpenSSH',
      target: '≤ 1.25×',
      measured: ratio(m('tvd', 'first') / m('openssh', 'first')),
      met: m('tvd', 'first') / m('openssh', 'first') <= 1.25,
    },
    {
      what: 'one-resource change (`tvd apply FILE`): tvd / OpenSSH',
      target: '≤ 1.25×',
      measured: ratio(m('tvd', 'change') / m('openssh', 'change')),
      met: m('tvd', 'change') / m('openssh', 'change') <= 1.25,
    },
    {
      what: 'one-resource change (`tvd apply PLAN`): tvd / OpenSSH',
      target: '≤ 1.25×',
      measured: ratio(m('tvd', 'change-saved') / m('openssh', 'change-saved')),
      met: m('tvd', 'change-saved') / m('openssh', 'change-saved') <= 1.25,
    },
    {
      what: 'one-resource change (`tvd apply FILE --capabilities DIR --refresh=false`): tvd / OpenSSH',
      target: '≤ 1.25×',
      measured: ratio(m('tvd', 'change-offline') / m('openssh', 'change-offline')),
      met: m('tvd', 'change-offline') / m('openssh', 'change-offline') <= 1.25,
    },
    {
      what: 'no-op apply: tvd / OpenSSH connect-and-exit',
      target: '≤ 1.1×',
      measured: ratio(m('tvd', 'noop') / m('openssh', 'noop')),
      met: m('tvd', 'noop') / m('openssh', 'noop') <= 1.1,
    },
    {
      what: `no-op apply: tvd / OpenSSH connect-and-exit with tvd's key exchange (${KEX_OF_TVD})`,
      target: '≤ 1.1×',
      measured: ratio(m('tvd', 'noop') / m('openssh-c25519', 'noop')),
      met: m('tvd', 'noop') / m('openssh-c25519', 'noop') <= 1.1,
    },
  ];
  if (withAnsible) {
    const names: Partial<Record<Phase, string>> = {
      first: 'first apply',
      change: 'one-resource change (`tvd apply FILE`)',
      'change-saved': 'one-resource change (`tvd apply PLAN`)',
      'change-offline': 'one-resource change (`--refresh=false`)',
    };
    for (const [way, how] of [
      ['ansible-steps', 'a task per step'],
      ['ansible', 'one task per host'],
    ] as [Way, string][]) {
      for (const p of ['first', 'change', 'change-saved', 'change-offline'] as Phase[]) {
        const x = m(way, p) / m('tvd', p);
        targets.push({ what: `${names[p]}: Ansible (${how}) / tvd`, target: '≥ 5×', measured: ratio(x), met: x >= 5 });
      }
    }
    // Ansible's no-op is one task either way.
    const noop = m('ansible', 'noop') / m('tvd', 'noop');
    targets.push({ what: 'no-op apply: Ansible (one `command` task) / tvd', target: '≥ 5×', measured: ratio(noop), met: noop >= 5 });
  }
  const body = [
    `A ${nHosts}-host lab (\`withLab({hosts: ${nHosts}, segments: 4})\`: each host a namespaced Dom0 with its own sshd) gets`,
    `\`bench/fleet-topology.ts\`: 8 TVDs over 4 segments (each TVD spans 8 hosts over VXLAN), two VMs per host (one running, one`,
    'config only), 4 controlled flows (so 8 firewalls and their transit links). That is about 250 resources, 8 per host.',
    'The change sets the memory of one config-only VM: one `update` on one host. Each way starts from the same empty hosts.',
    '',
    '- **tvd**: the built CLI, `--parallelism ' +
      parallelism +
      '`. A topology apply first refreshes every host over one SSH connection each',
    '  (capability probe and observation), then sends each host with actions one bundle over that same connection.',
    '- **OpenSSH**: `xargs -P ' +
      parallelism +
      ' ssh -F /dev/null -i ID -o UserKnownHostsFile=KH root@host "sh -s" < host.sh`, where host.sh is',
    '  exactly the bundle tvd sends (`renderHostBundle` on the plan tvd saved), sent only to the hosts that have actions. Its no-op is',
    '  `ssh host true` on every host: the floor of any SSH-based tool.',
    `- **Ansible** (Debian's ansible-core, ${withAnsible ? 'installed by `bench/install-bench-deps.sh`' : '**not installed here**: run `bench/install-bench-deps.sh`'}): \`forks = ${parallelism}\`, \`pipelining = True\`,`,
    '  `gathering = explicit`, its own ControlPersist with a fresh control folder per run, limited to the same hosts, two ways:',
    "  - *a task per step*, as a playbook is usually written: one `script:` task looping over the host's resource steps in",
    "    tvd's order, each step its own small bundle (`renderHostBundle` of that one step: the same files and commands);",
    '  - *one task per host*, Ansible at its best: one `script:` task that copies the whole bundle and runs it with /bin/sh.',
    '  Its no-op is one `command: /bin/true` task on every host.',
    '',
    `Wall time of each command, median of ${runs} runs (spread: min–max). Load average at the start of each run: ${loads.join('; ')}.`,
    '',
    table(header, rowsOf('')),
    '',
    "The CPU of each tool's own processes: the client and everything it starts (ssh clients, Ansible's workers and its",
    "detached ControlPersist masters), counted by a cgroup of its own (`bench/cpu-group.ts`); the hosts' sshd and scripts are",
    "not counted. This is the control machine's side of each way: what would bound it on a fleet whose hosts have CPUs of",
    'their own, where the work on the hosts runs in parallel instead of on the 2 CPUs of this machine. To be counted, every',
    'command here starts as a small sh that moves itself into its group, then runs the tool: a few ms (at times ~10 ms), the',
    'same for every way, and in the wall times above too. Median of the same runs:',
    '',
    table(header, rowsOf('cpu/')),
    '',
    `\`tvd plan FILE\` alone (the refresh: connect to all ${nHosts} hosts, run the capability probe and the observation, then plan):`,
    `${cell('tvd', 'refresh')} (median and spread of the ${(times.get('tvd/refresh') ?? []).length} plans the runs made).`,
    '',
    `OpenSSH's connect-and-exit with \`-o KexAlgorithms=${KEX_OF_TVD}\` (the key exchange tvd's SSH library, ssh2, negotiates; OpenSSH`,
    `${sshVersion()} prefers the post-quantum hybrid sntrup761x25519-sha512, which costs its client more CPU): ${cell('openssh-c25519', 'noop')}.`,
    '',
    '**Reading the figures.** Every way runs the same bundles, so the work on the hosts (bridges, VXLAN devices, nftables',
    "rulesets, `xl create` of the running VMs, all on this machine's 2 CPUs) is common to all of them and dominates a first apply.",
    'What differs is the transport and what each tool does besides. A topology apply first refreshes every host over one',
    'connection each: the capability probe and the observation of what is live (links, rulesets, files, domains, and the',
    'manifest of records), one script on one channel (`src/refresh/refresh-script.ts`); it then sends each host with actions',
    'its bundle over the same connection, where OpenSSH opens a new one. The probe keeps its slow part (creating and deleting',
    'throwaway links to see which encapsulations the kernel has, ~70 ms per host, under a kernel lock that all namespaces share;',
    '`xl info`; and `nft`, once nftables works) in a per-boot cache in /run/tvd, so a refresh does not pay for it; the first',
    'probe after a boot pays it once (here, the first `tvd plan` of each run). In the lab, `xl list` (every refresh) and',
    "`xl list NAME` (every VM's `up`) are answered by a sh script (lab/host-bin/xl-list), as quickly as Xen's own C tool,",
    'rather than by starting the Node stand-in (~40 ms per call); `xl create` still starts it, in every way alike.',
    "tvd's connections set TCP_NODELAY. Without it, ssh2 sent its key exchange and its userauth service request each while an",
    "earlier small packet was still unacknowledged, and Nagle's algorithm held it until the server's delayed ACK (40 ms on",
    'Linux): twice per handshake. A handshake to a lab host took 85 ms, and takes 45 ms with it (the `apply PLAN` row went from',
    '1.38× to about 1×).',
    '`tvd apply FILE` for one change still refreshes all hosts, so it costs a no-op plus the push: it is compared with a push to',
    'one host, which a refresh of every host cannot match. `tvd apply PLAN` (a plan saved before) and `tvd apply FILE',
    '--capabilities DIR --refresh=false` (planned from capability files and the trusted state) talk only to the changed host:',
    'those are the like-for-like comparisons. There tvd starts later than `ssh` (Node and the code apply needs, before the first',
    'packet, where an `ssh` client starts in a few milliseconds) and makes up for it in the key exchange: ssh2 negotiates',
    'curve25519-sha256, where OpenSSH 9.2 prefers sntrup761x25519, which costs about 70 ms more per connection here.',
    `The \`--refresh=false\` row also loads, checks and plans the fleet's topology, state and 32 capability files before it connects:`,
    `\`tvd plan FILE --capabilities DIR --refresh=false\` alone takes ${cell('tvd', 'plan-offline')}, where \`tvd --version\` takes`,
    `${cell('tvd', 'version')}. That difference is mostly code that runs for the first time (V8 compiles js-yaml, the schema`,
    'validator and the planner on first use: js-yaml parses this 11 KB topology in about 9 ms cold and 0.5 ms warm); `apply PLAN`,',
    'which reads only the saved plan, has none of it. `tvd` runs as one esbuild bundle (`scripts/bundle-cli.ts`) rather than the',
    `about 150 ES modules Node would load one by one: as separate modules the same plan takes ${cell('tvd', 'plan-offline-modules')}`,
    `and \`--version\` ${cell('tvd', 'version-modules')}.`,
    "The no-op is measured against OpenSSH's connect-and-exit twice: as OpenSSH runs by default, and with the key exchange tvd",
    'negotiates. Against the second, a refresh cannot come near 1.1×: it has to look at each host, and looking costs the host',
    byGroup
      ? "processes. The lab's CPU during the no-op (a cgroup that holds the lab's hosts and the tools, `bench/cpu-group.ts`: every"
      : "processes. The machine's CPU during the no-op (/proc/stat, as this machine has no cgroups to count the lab alone: every",
    byGroup
      ? "process on both sides of SSH, the client, sshd and the hosts' scripts, and nothing else that ran on the machine): tvd"
      : "process on both sides of SSH, the client, sshd and the hosts' scripts, and whatever else ran on the machine): tvd",
    `${cell('tvd', 'noop-cpu')}, of which its own process ${secs(m('tvd', 'noop', 'cpu/'))}; OpenSSH's connect-and-exit with curve25519 ${cell('openssh-c25519', 'noop-cpu')},`,
    `of which its clients ${secs(m('openssh-c25519', 'noop', 'cpu/'))}. So the hosts' side of the no-op costs ${secs(m('tvd', 'noop-cpu') - m('tvd', 'noop', 'cpu/'))} for tvd against`,
    `${secs(m('openssh-c25519', 'noop-cpu') - m('openssh-c25519', 'noop', 'cpu/'))} for connect-and-exit. On 2 CPUs a no-op of 32 hosts is bound by that CPU, so the wall-time`,
    "ratio follows it. The hosts' side is where the difference is: on a lab host the observation",
    'takes about 13 ms of CPU (19 ms with two firewall namespaces: the `ip` and `bridge` listings, `nft` in each firewall',
    'namespace, one `sha256sum` for the files and one for the records, `xl list`) and the probe, from its cache, about 6 ms',
    "(`ip`, `getent`, the digest of the hypervisor): about 0.6 s over 32 hosts. On tvd's own side, ssh2 costs about what",
    "an `ssh` process does per connection; Node's start, tvd's code, the topology and the plan come on top of it.",
    "Both scripts start as few processes as they can: the shell's own `read`, `case`, globs and here-documents",
    'where a `sed`, `awk`, `cut`, `find`, `ls` or a pipe into a loop stood, and the client filters and hashes the raw listings',
    '(observation format 3). On a lab host with two firewalls: observation 18 → 9 processes besides the shell, 26 → 19 ms; probe',
    '18 → 5, 15 → 8 ms (before and after format 3, timed with `time sh` in the host), then 4 processes and 6 ms once `nft list',
    'tables` joined the per-boot cache (a yes only: nft may be installed during a boot). They run as one script on one channel, so',
    "a host pays one sshd session and one shell per refresh, not two: the machine's CPU for this no-op went from 1.72 s to 1.61 s",
    '(medians of 7 runs of each, alternated, in one A/B run).',
    "The hosts' scripts for an apply start fewer processes too (a record written with one `mv`, a listing read once and tested with",
    '`case`, one `ip link set` per link): 309 → 199 processes for the first apply of a lab host with 10 resources, 0.75 s → 0.65 s.',
    "Then whether a root-namespace link exists, whether the vif hook's bridge is one and its MTU, and whether a running VM's vif",
    "is on its bridge, became the shell's own tests of sysfs: 224 → 209 processes for the whole first apply of a fleet host",
    "(its probe's first run, its bundle and the vif hook, counted by `strace -f -e trace=execve` on the host's sshd).",
    'Then `ip` commands that follow one another became one `ip -batch`, the firewall writes `ip_forward` without reading it first,',
    'and a record and the vif hook fork less: 211 → 191 processes and 112 → 85 forks for the same (old and new build in turn on',
    'one 8-host lab of this topology; the vif hook alone adds 16 → 10 ms to an attach, see Admission).',
    "Where the CPU of such a first apply goes (`perf record -a` over one, on that 8-host lab): tvd's own process about 14%,",
    "the lab's `xl create` stand-in (Node) about 17%, `ip` 18% (mostly starting: dynamic linking and CPU feature setup), the",
    'shells 8%, sshd 5%, and `mv`, `mkdir`, `chown` and `chmod` 12% together: mostly one process per step, per record and per file.',
    'That work is the same in all three ways, so it moves the Ansible ratio a little and the OpenSSH one not at all.',
    'Ansible runs the same bytes two ways: a task per resource step, as a playbook is usually written, and one `script` task',
    'per host carrying the whole bundle, Ansible at its best; each task is a round trip with a Python module. A first apply',
    "is mostly the hosts' own work, which every way pays alike (OpenSSH's whole time is that work plus one connection per",
    "host), so a slower transport can only add to it: for Ansible to take 5× tvd's time, its own overhead would have to be",
    'four times the work on the hosts. For a one-host change the work is small and what counts is the start of each tool:',
    "ansible-playbook's (Python, its plugins, the inventory) against tvd's. The second table takes the hosts' work out: it",
    "counts only each tool's own processes: what the control machine spends, and what bounds each tool on a fleet of real",
    'hosts, each doing its own work on its own CPUs. The targets stay on wall time, as the issue sets them.',
  ].join('\n');
  return { title: 'Apply to a fleet', command: 'node dist/bench/apply-fleet.js', body, targets };
}

if (isMain(import.meta.url)) {
  printSection(
    await run({ runs: argNumber('runs', 3), hosts: argNumber('hosts', 32), parallelism: argNumber('parallelism', NaN) || undefined }),
  );
}
