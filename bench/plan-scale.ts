// Plan at scale: `tvd plan FILE --capabilities DIR --refresh=false --state S --json > /dev/null`
// on generated fleets of 100 to 10,000 hosts, as a child process (wall time, peak RSS), each beside
// the bare js-yaml parse of its file, the YAML parsers side by side on the reference file, CPU
// profiles of the reference plan and the largest, and a heap profile of the largest.
// Usage: node dist/bench/plan-scale.js [--runs N] [--sizes 100,1000,2000,5000,10000]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fleetOf } from './generate-topology.js';
import { type Fleet, writeFleet } from './write-fleet.js';
import { timedChild } from './child-run.js';
import { built, TVD_BIN, TVD_MODULES } from './cli-snapshot.js';
import { hotspots } from './cpu-profile.js';
import { median, mib, millis, ratio, secs, spread } from './stats.js';
import { argNumber, isMain, printSection, table, type Section, type Target } from './section.js';

const planArgs = (f: Fleet, state: string, cli = TVD_BIN) => [
  process.execPath,
  built(cli),
  'plan',
  f.file,
  '--capabilities',
  f.caps,
  '--refresh=false',
  '--state',
  state,
  '--json',
];

interface Runs {
  ms: number[];
  rss: number[];
  cpu: number[];
  medMs: number;
  medRss: number;
  medCpu: number;
}

const summary = (ms: number[], rss: number[], cpu: number[]): Runs => ({
  ms,
  rss,
  cpu,
  medMs: median(ms),
  medRss: median(rss),
  medCpu: median(cpu),
});

/**
 * Runs each command of `argvs` once per round, round after round, so that the machine's load
 * (it is shared) falls alike on the plan and on the parse it is held to. The first command's
 * stdout is kept and handed to `out` (the parse says how long it took in process).
 */
async function measureSide(argvs: string[][], runs: number, out?: (stdout: string) => void): Promise<Runs[]> {
  const acc = argvs.map(() => ({ ms: [] as number[], rss: [] as number[], cpu: [] as number[] }));
  const kept = join(tmpdir(), `tvd-bench-out-${process.pid}`);
  try {
    for (let i = 0; i < runs; i++) {
      for (const [k, argv] of argvs.entries()) {
        const r = await timedChild(argv, k === 0 && out ? { stdoutFile: kept } : {});
        if (r.code !== 0) throw new Error(`${argv.slice(1).join(' ')} exited ${r.code}:\n${r.stderr.slice(0, 2000)}`);
        if (k === 0 && out) out(readFileSync(kept, 'utf8'));
        acc[k].ms.push(r.ms);
        acc[k].rss.push(r.maxRssBytes);
        acc[k].cpu.push(r.cpuMs);
      }
    }
  } finally {
    rmSync(kept, { force: true });
  }
  return acc.map((a) => summary(a.ms, a.rss, a.cpu));
}

const measure = async (argv: string[], runs: number) => (await measureSide([argv], runs))[0];

// The page's account of what was sped up and what is left. Figures in it are from the runs that
// found each problem (bench/plan-phases.ts and --cpu-prof at the time), so they are written here.
const WHAT_WAS_DONE = [
  '',
  '### What was sped up for this benchmark, and what is left',
  '',
  'The first run of this benchmark found the planner cubic or quadratic in places; each fix is its own commit, with a test that',
  'the result is unchanged (figures from `bench/plan-phases.ts` at the time, on this loaded machine):',
  '',
  '- transitivity warnings (`src/plan/transitivity.ts`) tried every (a, c, b) of TVDs: 80 s at 1,000 TVDs / 5,000 hosts, 0.50 s at',
  '  200 TVDs. Now they follow only the pairs flows name: 0.10 s and 0.02 s.',
  '- the static proof (`src/plan/reachability.ts`) rebuilt expectation and firewall path per probe for every pair of groups:',
  '  2.96 s → 1.27 s at 5,000 hosts, 0.17 s → 0.10 s at 1,000.',
  '- the diff (`src/plan/diff.ts`) compared the canonical JSON text of every attribute of every resource: 0.21 s → 0.07 s at',
  '  1,000 hosts (a structural comparison first, the text only when unsure).',
  '- desired resources (`src/plan/desired.ts`) tried every pair of TVDs for a connection and used `Array.includes` per VM and per',
  '  peer: 1.33 s → 0.88 s at 5,000 hosts.',
  '- the topology digest (`src/topology/digest.ts`) built arrays at every level: 128 → 77 ms for the 1,000-host file.',
  "- every start loaded TypeBox and compiled the schemas with Ajv, and loaded every command's code: the validators are now",
  '  generated at build time (`scripts/write-validators.ts`) and each command imports only its own code when it runs;',
  '  `tvd --version` 0.29 s → 0.11 s, `tvd plan` of a two-host file from capability files 0.41 s → 0.18 s.',
  '',
  "Then 10,000 hosts (issue 26). Profiled there (`--cpu-prof` on the CLI's modules, and V8's allocation sampler), the plan",
  'took 15 s of wall time and 11.8 s of CPU on this loaded machine, 12× its 1,000-host CPU for 10× the input:',
  '',
  '- the static proof still tried every ordered pair of (TVD, L2 domain) groups, 4 million at 2,000 TVDs, and took its probes',
  "  from every pair of TVDs: 4.7 s of self time, and 1.5 s more in the flow matrix's `get`. A pair can only fail where the matrix",
  '  or the resources let something through: the matrix only on the diagonal, where a flow names the pair, or everywhere under',
  '  `defaults.flow: open` (then every pair is tried, as before); the resources only inside one L2 domain, or towards a TVD the',
  "  sender's firewall has a peer link for. The proof now tries only those pairs, in the order the all-pairs walk met them, and the",
  '  flow matrix says its fallback and which entries a flow names. Every other pair expects nothing and gets nothing, so the proof',
  '  proves what it proved: `test/plan/reachability-exact.test.ts` holds it to the all-pairs proof (kept as',
  '  `test/plan/reachability-reference.ts`) on 600 seeded random fleets, with seeded faults in the resources and matrices that',
  '  disagree with them, both defaults, mismatch for mismatch and in the same order. Self time at 10,000 hosts: 4.7 s → 0.5–1.3 s',
  '  (as loaded as the machine is), and the stage now grows with the input (the stages table).',
  '- per NIC and per VM, small things that add up over 100,000 of them: a `Hash` object per name hashed (MAC and vif tag starts;',
  '  `crypto.hash` gives the same bytes in half the time), a regex replace and `parseInt` per MAC read from the state',
  '  (`macToNumber`), a split and four regex tests per address (`ipToInt`), a comparison sort of every VM of the state by host',
  "  (`recordedMacs`), the underlay address looked up once per pair of a TVD's hosts rather than once per host, and the diff",
  '  building the list of keys of each unchanged resource before finding none changed. Each is held to its old definition by a',
  '  test (`test/plan/mac-number.test.ts`, `test/topology/ip-to-int.test.ts`, `test/topology/digest-equivalence.test.ts`).',
  '- memory: `tvd plan --json` made one string of the plan and then one Buffer of it, 170 MB each for the 10,000-host plan from the',
  '  empty state, whose peak RSS was 1.18 GB; it now writes the same bytes in pieces (`src/cli/json-pieces.ts`,',
  '  `test/ux/json-pieces.test.ts`): 0.51 GB. The topology digest built its 20 MB canonical text as one string before hashing it,',
  "  and `Array.prototype.sort` allocated a work array for each of the topology's small objects (190 MB in all); it now hashes",
  '  the text in 64 KB pieces and sorts a few keys in place.',
  '',
  'Then the margin to the targets (issue 26, a second pass, profiled the same way). At 10,000 hosts the profile named functions',
  'whose self time grew far faster than the input, and they had one cause: V8 keeps an object of 100,000 keys (`vms`, and the',
  'records the planner built from the state keyed by NIC) as a hash table, and each `Object.keys`, `values` or `entries` of it',
  'costs 50–200 ms there against 1–3 ms for the 10,000 keys of the 1,000-host fleet. The plan walked `vms` five times; it now',
  'takes the VMs in name order once (`src/plan/vms-by-name.ts`), and the recorded MACs and vif tags are Maps. Then, per resource:',
  "- the diff keyed all 168,000 resources of both sides by their address text; both sides come in address order (the planner's",
  "  and apply's), so it now merges the two lists, and keys them only when a state is out of order",
  '  (`test/plan/diff-order.test.ts` holds the two ways to the same actions);',
  "- the proof's NIC groups made a string per admission and two per NIC, and its seven resource types were seven walks of every",
  '  resource; a host-by-name lookup of the hosts not read was a `includes` per host, quadratic (0.1 s at 10,000 hosts);',
  '- a NIC or VM that keeps the MAC or vif tag the state records had its SHA-256 start computed anyway (every NIC of a deployed',
  "  fleet); it is now computed only for one that needs a new value, and a guest's prefix and gateway once per TVD, not per VM.",
  'Side by side on this machine, interleaved (`/usr/bin/time`, CPU time): 1,000 hosts 1.17 s → 1.03 s, 10,000 hosts 7.7 s → 6.3 s.',
  'The plans are the same byte for byte (1,000 hosts from both states, 10,000 from the deployed state).',
  'Runs of this section on 2026-12-04 gave the 1,000-host plan 3.77×, 4.13×, 4.88× and, after a third pass (below), 3.84× and 3.77× the',
  "bare parse: this machine's speed moves from minute to minute (the 1,000-host plan took 0.74 s and 1.23 s, CPU 1.03 s and 1.68 s, twenty minutes",
  "apart), and the plan, eight times the parse's work, moves more than the parse does. Interleaved runs of 15 to 25 of each, side",
  'by side, put it at 3.9× to 4.1×: the ≤ 4× target is met in a run like this one, but at its edge, not with a margin. The',
  '10,000-host targets are met with room (5.1–9.6× the 1,000-host time, 812–849 MB).',
  'The third pass: the state read in one call (the promise API read it in 512 KB chunks through a decoder), the digest quoting',
  "each key once and plain strings without JSON.stringify, the diff testing equal members without a call each, and the VM phase's",
  'NICs built in loops. Each is a few ms in a single cold run, below what these runs can tell apart; together 5–20 ms. What',
  'did not help, measured the same way: V8 flags for the young generation (`--max-semi-space-size`, `--min-semi-space-size`,',
  '`--page-promotion-threshold`, `--minor-mc`) and for tiering (`--maglev`, `--interrupt-budget`, `--always-sparkplug`); and',
  'checking the topology in a worker thread while the main thread plans (+50 ms: the worker parses the file again, and with two',
  "cores it competes with the collector's helper threads).",
  '',
  'Then a fourth pass (issue 26), on a machine that ran the bare parse of the 1,000-host file in 0.21–0.31 s (0.17 s the day',
  'before). Each change measured beside the one before it, interleaved, 20 to 40 rounds of each (medians, wall time):',
  '- `tvd` is one CommonJS bundle compiled through `node:vm` with a V8 code cache the build trains on a small generated fleet',
  '  (`src/cli/bundle-loader.ts`, `scripts/train-code-cache.ts`): Node 20 keeps no compiled code between runs, and compiling',
  '  what a plan runs was 45–70 ms of the 1,000-host plan (0.88 → 0.81 s beside a parse of 0.21 s, 4.19× → 3.86×). The cache',
  "  file leads with a SHA-256 of bundle and cache: a release V8 checks only the source's length, and a damaged cache crashed Node.",
  "- a vm's attributes are the settings its xl.cfg is written from, not the file's text (`src/plan/xl-config.ts`): the",
  "  deployed 1,000-host state is 7.1 MB instead of 9.3, and the plan renders no VM's file. 30 ms in 40 rounds (0.94 → 0.91 s,",
  '  3.76× → 3.64×); a run of 20 rounds said 0.08 s faster, another 0.04 s slower, which is how far this machine moves.',
  'Together, in the runs of this section that day: 3.68× and 3.81× the bare parse (5 rounds) and 3.79× (15, this page), where',
  'the same code measured 3.9–4.2× before them. The ≤ 4× target holds in every run, with 5–8% to spare, not more: the plan is',
  "still eight times the parse's work. The ≤ 1 s of issue 8 is missed on this machine by a few per cent; the bare parse alone",
  'takes 0.27 s here against 0.17 s in the run of the day before, when the same plan took 0.65 s.',
  '',
  'The plans are the same: `tvd plan --json` of the 1,000- and 10,000-host fleets, from the deployed and the empty state, is byte',
  "for byte what it was before these changes; the fourth pass changed what a vm's attributes are, and the 1,000-host plan",
  "from the empty state is the same byte for byte once each VM's attributes are written back as its xl.cfg text.",
  '',
  "What is left grows with the input: no stage tries pairs any more. Wall times here move with the machine's load (other",
  "engineers' builds and a QEMU lab share its two cores, and the large fleets' stages run minutes after the small ones'),",
  'so read the scaling from the CPU columns as well. The largest single line of both profiles is',
  'the garbage collector: the plan builds every resource of the fleet and compares it with the state (168,000 resources and a',
  '94 MB state file at 10,000 hosts), and the heap it holds grows with them (the table above), so each collection has more to',
  'walk. The js-yaml parse itself is the next line, then `buildDesired` (per VM: its xl.cfg text, NICs, admissions). Starting',
  "Node and loading the CLI's modules (`tvd --version`) is most of the 100-host point, which is why the ratio from 100 to 1,000",
  'hosts is far below 10×.',
];

const HEAP_NOTE = [
  'Peak RSS is that, plus what the collector has not yet taken back: the state file is read as one string and parsed whole, and',
  'every resource of the fleet is built, so garbage comes in large amounts. `node --heap-prof` is no help here: it writes its',
  'profile at exit, when the plan has let go of everything (7 MB at 10,000 hosts).',
].join('\n');

/**
 * Runs at a point: fewer for the large fleets, so that the whole benchmark stays within minutes;
 * three times as many at 1,000 hosts, where the targets sit: this machine moves by 10% from one
 * round to the next, and five rounds put the same build's ratio to the parse anywhere in 3.7-3.9x.
 */
const runsAt = (hosts: number, runs: number) => (hosts >= 5000 ? Math.min(runs, 3) : hosts === 1000 ? runs * 3 : runs);

export async function run(opts: { runs?: number; sizes?: number[] } = {}): Promise<Section> {
  const runs = opts.runs ?? 5;
  const sizes = opts.sizes ?? [100, 1000, 2000, 5000, 10000];
  const tmp = mkdtempSync(join(tmpdir(), 'tvd-bench-plan-'));
  try {
    const fleets: Fleet[] = [];
    for (const n of sizes) {
      const dir = join(tmp, `h${n}`);
      mkdirSync(dir);
      fleets.push(writeFleet(dir, fleetOf(n)));
    }
    const startup = await measure([process.execPath, built(TVD_BIN), '--version'], runs);
    const rows: (string | number)[][] = [];
    const noop = new Map<number, Runs>();
    const bare = new Map<number, Runs & { inProcessMs: number }>();
    for (const f of fleets) {
      const n = runsAt(f.size.hosts, runs);
      const inProcess: number[] = [];
      const [p, a, b] = await measureSide(
        [[process.execPath, built('bench/parse-bare.js'), f.file], planArgs(f, f.deployed), planArgs(f, f.empty)],
        n,
        (out) => inProcess.push((JSON.parse(out) as { ms: number }).ms),
      );
      noop.set(f.size.hosts, a);
      bare.set(f.size.hosts, { ...p, inProcessMs: median(inProcess) });
      const s = f.size;
      rows.push([
        `${s.hosts} hosts, ${f.vms} VMs, ${s.tvds} TVDs, ${s.flows} flows`,
        `${(f.bytes / 1024).toFixed(0)} KB`,
        f.resources,
        `${secs(p.medMs)} (${millis(median(inProcess))} in process)`,
        `${secs(a.medMs)} (${spread(a.ms, secs)})`,
        secs(a.medCpu),
        mib(a.medRss),
        `${ratio(a.medMs / p.medMs)} (${ratio(a.medMs / median(inProcess))})`,
        `${secs(b.medMs)} (${spread(b.ms, secs)})`,
        secs(b.medCpu),
        mib(b.medRss),
      ]);
    }

    // The parsers on the reference file, each in a fresh process.
    const ref = fleets.find((f) => f.size.hosts === 1000) ?? fleets[fleets.length - 1];
    const parsers: [string, string][] = [
      ['js-yaml `load` (the fast path)', 'js-yaml'],
      ['eemeli/yaml `parseDocument` (positions)', 'yaml-positions'],
      ['`loadTopology`: js-yaml + schema + meaning checks + digest', 'load'],
    ];
    const parseRows: (string | number)[][] = [];
    for (const [label, how] of parsers) {
      const ms: number[] = [];
      const rss: number[] = [];
      for (let i = 0; i < runs; i++) {
        const r = spawnSync(process.execPath, [built('bench/parse-one.js'), how, ref.file], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`parse-one ${how}: ${r.stderr}`);
        const o = JSON.parse(r.stdout) as { ms: number; maxRssBytes: number };
        ms.push(o.ms);
        rss.push(o.maxRssBytes);
      }
      parseRows.push([label, `${millis(median(ms))} (${spread(ms, millis)})`, mib(median(rss))]);
    }

    // The plan's stages, each timed in a fresh process: the reference fleet, and the largest beside it.
    const cpuOf = new Map<Fleet, Map<string, number[]>>();
    const stagesOf = (f: Fleet, n: number) => {
      const out = new Map<string, number[]>();
      const cpu = new Map<string, number[]>();
      for (let i = 0; i < n; i++) {
        const r = spawnSync(process.execPath, [built('bench/plan-phases.js'), f.file, f.caps, f.deployed], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`plan-phases: ${r.stderr}`);
        for (const [stage, ms, cpuMs] of JSON.parse(r.stdout) as [string, number, number][]) {
          out.set(stage, [...(out.get(stage) ?? []), ms]);
          cpu.set(stage, [...(cpu.get(stage) ?? []), cpuMs]);
        }
      }
      cpuOf.set(f, cpu);
      return out;
    };
    const stageMs = stagesOf(ref, runs);
    const bigFleet = fleets[fleets.length - 1];
    const bigStages = bigFleet === ref ? undefined : stagesOf(bigFleet, runsAt(bigFleet.size.hosts, runs));
    const refCpu = cpuOf.get(ref)!;
    const bigCpu = cpuOf.get(bigFleet);
    const stageRows = [...stageMs].map(([stage, ms]) => {
      const c = median(refCpu.get(stage)!);
      const row = [stage, `${millis(median(ms))} (${spread(ms, millis)})`, millis(c)];
      const b = bigStages?.get(stage);
      const bc = bigCpu ? median(bigCpu.get(stage)!) : NaN;
      return b ? [...row, `${millis(median(b))} (${spread(b, millis)})`, millis(bc), ratio(median(b) / median(ms)), ratio(bc / c)] : row;
    });
    const total = (m: Map<string, number[]>) => [...m.values()].reduce((a, ms) => a + median(ms), 0);
    const stageTotal = total(stageMs);

    // Where the time goes: the reference plan, and the largest, each as the CLI's separate modules.
    const cpuProfile = (f: Fleet) => {
      const dir = join(tmp, `prof-${f.size.hosts}`);
      spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, ...planArgs(f, f.deployed, TVD_MODULES).slice(1)], {
        stdio: 'ignore',
      });
      return hotspots(join(dir, readdirSync(dir)[0]), 12);
    };
    const prof = cpuProfile(ref);
    const big = bigFleet;
    const bigProf = big === ref ? prof : cpuProfile(big);
    // What each stage of the largest plan holds (heap after a collection, bench/plan-phases.ts with --expose-gc).
    const held = spawnSync(process.execPath, ['--expose-gc', built('bench/plan-phases.js'), big.file, big.caps, big.deployed], {
      encoding: 'utf8',
    });
    if (held.status !== 0) throw new Error(`plan-phases --expose-gc: ${held.stderr}`);
    const heldRows = (JSON.parse(held.stdout) as [string, number, number, number][]).map(([stage, , , bytes]) => [stage, mib(bytes)]);

    const at = (n: number) => noop.get(n);
    const r1000 = at(1000);
    const r100 = at(100);
    const r10000 = at(10000);
    const p1000 = bare.get(1000);
    const targets: Target[] = [];
    if (r1000) {
      targets.push({ what: 'plan, 1,000 hosts: time', target: '≤ 1 s', measured: secs(r1000.medMs), met: r1000.medMs <= 1000 });
      targets.push({
        what: 'plan, 1,000 hosts: peak RSS',
        target: '≤ 250 MB',
        measured: mib(r1000.medRss),
        met: r1000.medRss <= 250 * 2 ** 20,
      });
      if (p1000) {
        const x = r1000.medMs / p1000.medMs;
        targets.push({
          what: 'plan, 1,000 hosts: time beside the bare js-yaml parse of the file (both spawn to exit)',
          target: '≤ 4×',
          measured: ratio(x),
          met: x <= 4,
        });
      }
      if (r100) {
        const x = r1000.medMs / r100.medMs;
        targets.push({ what: 'plan, 10× the input (100 → 1,000 hosts)', target: '≤ 12× the time', measured: ratio(x), met: x <= 12 });
      }
      if (r10000) {
        const x = r10000.medMs / r1000.medMs;
        targets.push({
          what: 'plan, 10× the input (1,000 → 10,000 hosts)',
          target: '≤ 10.5× the time',
          measured: ratio(x),
          met: x <= 10.5,
        });
      }
    }
    if (r10000)
      targets.push({ what: 'plan, 10,000 hosts: peak RSS', target: '≤ 1 GB', measured: mib(r10000.medRss), met: r10000.medRss <= 2 ** 30 });
    const scaling = fleets
      .slice(1)
      .map((f, i) => {
        const [x, y] = [fleets[i], f];
        const [mx, my] = [noop.get(x.size.hosts)!, noop.get(y.size.hosts)!];
        return `${x.size.hosts.toLocaleString('en')} → ${y.size.hosts.toLocaleString('en')} hosts (${ratio(y.size.hosts / x.size.hosts)} the input): ${ratio(my.medMs / mx.medMs)} the time, ${ratio(my.medCpu / mx.medCpu)} the CPU`;
      })
      .join('; ');
    const cpuTables = (p: ReturnType<typeof hotspots>) => [
      table(
        ['source file', 'self time', 'share'],
        p.byFile.map((h) => [h.name, millis(h.ms), `${(h.share * 100).toFixed(0)}%`]),
      ),
      '',
      table(
        ['function', 'self time', 'share'],
        p.byFunction.slice(0, 10).map((h) => [`\`${h.name}\``, millis(h.ms), `${(h.share * 100).toFixed(0)}%`]),
      ),
    ];
    const body = [
      `The fleet is generated (\`bench/generate-topology.ts\`): 10 VMs per host, one TVD per 5 hosts, as many flows as hosts`,
      `(60% controlled with 1–3 rules, 20% open, 20% closed), 50 hosts per segment. Each TVD's VMs sit on about 10 neighbouring hosts,`,
      `so each host carries about two TVDs, and flows join TVDs far apart, so most transit links are VXLAN tunnels between hosts.`,
      `Every host's capability file says VXLAN and nftables, no VLAN (as the lab). TVD subnets are /26s of 198.18.0.0/16 while`,
      `they fit (1,024 TVDs); the 10,000-host fleet's 2,000 TVDs take theirs from 10.0.0.0/8 (it is planned, never deployed).`,
      `"Deployed state" is what a first apply of the same plan records (so the plan is empty, but every resource is compared);`,
      `"empty state" plans the whole fleet from nothing and prints every action. Each figure is the median of ${runs} runs`,
      `(${runsAt(1000, runs)} at 1,000 hosts, where the targets sit; ${Math.min(runs, 3)} from 5,000 hosts on, to keep the benchmark within minutes) of the built CLI as a child process (wall time from spawn to exit, so`,
      `Node's start is included: \`tvd --version\` alone takes ${secs(startup.medMs)} here, ${mib(startup.medRss)}); CPU (user + system) and peak RSS`,
      "from `/usr/bin/time -v`. CPU time is what the plan itself costs; wall time adds what the machine's other load takes from it.",
      '',
      'Beside each plan, in the same rounds (parse, plan, plan, then again), runs the bare js-yaml parse of the same file',
      "(`bench/parse-bare.ts`: start Node, read the file, `load` it with the loader's YAML 1.2 core schema, exit), timed the same way,",
      'from spawn to exit: the plan is held to that. The parse alone, inside its process, is given too, and the second ratio is the',
      "plan's wall time over it (Node's start charged to the plan only).",
      '',
      table(
        [
          'fleet',
          'topology file',
          'resources',
          'bare js-yaml parse: wall time (the parse in process)',
          'plan, deployed state: wall time (spread)',
          'CPU',
          'peak RSS',
          'plan / bare parse (/ parse in process)',
          'plan, empty state: wall time (spread)',
          'CPU',
          'peak RSS',
        ],
        rows,
      ),
      '',
      `Scaling: ${scaling}.`,
      '',
      `### The YAML parsers on the ${(ref.bytes / 1024).toFixed(0)} KB file of ${ref.size.hosts} hosts (one fresh process each, ${runs} runs)`,
      '',
      table(['parser', 'time (spread)', 'peak RSS of the process'], parseRows),
      '',
      'The loader (`src/topology/load.ts`) takes only the first path on valid input; eemeli/yaml with positions runs only when there',
      'is a problem to place, and then only on the files with problems. Both are held to the same YAML 1.2 core by',
      '`test/topology/yaml-parity.test.ts` (a corpus accepted or refused alike by both).',
      '',
      `### The stages of the plan (\`bench/plan-phases.ts\`: the same calls as \`tvd plan\`, timed one by one in a fresh process)`,
      '',
      bigStages
        ? table(
            [
              'stage',
              `${ref.size.hosts} hosts: wall time, median of ${runs} (spread)`,
              'CPU',
              `${bigFleet.size.hosts} hosts: wall time, median of ${runsAt(bigFleet.size.hosts, runs)} (spread)`,
              'CPU',
              `wall × for ${ratio(bigFleet.size.hosts / ref.size.hosts)} the input`,
              'CPU ×',
            ],
            [
              ...stageRows,
              [
                '**sum** (the rest of the wall time is starting Node and loading modules)',
                `**${millis(stageTotal)}**`,
                `**${millis(total(refCpu))}**`,
                `**${millis(total(bigStages))}**`,
                `**${millis(total(bigCpu!))}**`,
                `**${ratio(total(bigStages) / stageTotal)}**`,
                `**${ratio(total(bigCpu!) / total(refCpu))}**`,
              ],
            ],
          )
        : table(
            ['stage', 'time, median (spread)', 'CPU'],
            [
              ...stageRows,
              [
                '**sum** (the rest of the wall time is starting Node and loading modules)',
                `**${millis(stageTotal)}**`,
                `**${millis(total(refCpu))}**`,
              ],
            ],
          ),
      '',
      `### Where the time goes (\`node --cpu-prof\`, plan of ${ref.size.hosts} hosts with the deployed state, self time ${millis(prof.totalMs)})`,
      '',
      'Profiled on the CLI as separate modules (`dist/src/cli/main.js`, the code the bundle is made of), so that each function is named by its source file.',
      '',
      ...cpuTables(prof),
      ...(big === ref
        ? []
        : [
            '',
            `### … and at ${big.size.hosts.toLocaleString('en')} hosts (self time ${millis(bigProf.totalMs)})`,
            '',
            ...cpuTables(bigProf),
            '',
            `### Where the memory goes at ${big.size.hosts.toLocaleString('en')} hosts (heap held after each stage, collected first: \`node --expose-gc dist/bench/plan-phases.js\`)`,
            '',
            table(['after the stage', 'heap held'], heldRows),
            '',
            HEAP_NOTE,
          ]),
    ].join('\n');
    const tried = WHAT_WAS_DONE.join('\n');
    return { title: 'Plan at scale', command: 'node dist/bench/plan-scale.js', body: body + '\n' + tried, targets };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const sizesArg = process.argv.indexOf('--sizes');
  const sizes = sizesArg >= 0 ? process.argv[sizesArg + 1].split(',').map(Number) : undefined;
  printSection(await run({ runs: argNumber('runs', 5), sizes }));
}
