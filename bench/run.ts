// `npm run bench`: runs every benchmark in this one process, one after the other, and writes
// docs/benchmarks.md from their results. Nothing on that page is typed by hand: the prose that
// explains the figures lives in each benchmark and in the template below.
// Usage (root): node dist/bench/run.js [--only plan-scale,apply-fleet,data-plane,admission,data-plane-xen] [--out FILE]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadAverage, machine } from './machine.js';
import { snapshotBuild } from './cli-snapshot.js';
import { targetsTable, table, type Section } from './section.js';
import { keptSections } from './page-merge.js';
import * as planScale from './plan-scale.js';
import * as applyFleet from './apply-fleet.js';
import * as dataPlane from './data-plane.js';
import * as admission from './admission.js';
import * as dataPlaneXen from './data-plane-xen.js';

const BENCHES: { name: string; title: string; run: () => Promise<Section> }[] = [
  { name: 'plan-scale', title: 'Plan at scale', run: () => planScale.run() },
  { name: 'apply-fleet', title: 'Apply to a fleet', run: () => applyFleet.run() },
  { name: 'data-plane', title: 'Data plane', run: () => dataPlane.run() },
  { name: 'admission', title: 'Admission (vif-tvd hook)', run: () => admission.run() },
  { name: 'data-plane-xen', title: 'Data plane on real Xen', run: () => dataPlaneXen.run() },
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const only = arg('only')?.split(',');
const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const out = arg('out') ?? fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));
const started = new Date();
const t0 = performance.now();
const sections: (Section & { at?: string })[] = [];
const removeSnapshot = snapshotBuild();
for (const b of BENCHES) {
  if (only && !only.includes(b.name)) continue;
  const before = loadAverage();
  const s0 = performance.now();
  process.stderr.write(`bench: ${b.name} ...\n`);
  try {
    const s = await b.run();
    sections.push({ ...s, title: b.title, load: { before, after: loadAverage() }, seconds: (performance.now() - s0) / 1000, at: stamp() });
  } catch (e) {
    // A benchmark that cannot run says so on the page; the others still run.
    const why = e instanceof Error ? e.message : String(e);
    sections.push({
      title: b.title,
      command: `node dist/bench/${b.name}.js`,
      body: `**This benchmark failed in this run:**\n\n\`\`\`\n${why.slice(0, 2000)}\n\`\`\``,
      targets: [],
      load: { before, after: loadAverage() },
      seconds: (performance.now() - s0) / 1000,
      at: stamp(),
    });
  }
  process.stderr.write(`bench: ${b.name} done in ${((performance.now() - s0) / 1000).toFixed(0)} s\n`);
}
removeSnapshot();
// With --only, the sections not re-made stay as the page had them.
const kept =
  only && existsSync(out)
    ? keptSections(
        readFileSync(out, 'utf8'),
        sections.map((x) => x.title),
      )
    : undefined;
const totalS = (performance.now() - t0) / 1000;
const m = machine();
const made = new Map(sections.map((s) => [s.title, s]));
const order = BENCHES.map((b) => b.title).filter((t) => made.has(t) || kept?.sections.has(t));
const targetRows = order.flatMap((t) => {
  const s = made.get(t);
  if (s)
    return s.targets.length
      ? targetsTable(s.targets.map((x) => ({ ...x, what: `${t}: ${x.what}` })))
          .split('\n')
          .slice(2)
      : [];
  return kept?.targetRows.get(t) ?? [];
});
const page = [
  '# Benchmarks',
  '',
  '<!-- Written by `npm run bench` (bench/run.ts), each section from the run it names; do not edit by hand: change the benchmark or its prose instead. -->',
  '',
  kept?.sections.size
    ? `Made by \`npm run bench\` (\`npm run build && node dist/bench/run.js\`); on ${started.toISOString().replace(/\.\d+Z$/, 'Z')} \`--only ${only?.join(',')}\` re-made ${sections.map((s) => s.title).join(', ')} in ${(totalS / 60).toFixed(1)} minutes, and the other sections are from the earlier run each names.`
    : `Made by \`npm run bench\` (\`npm run build && node dist/bench/run.js\`) on ${started.toISOString().replace(/\.\d+Z$/, 'Z')}, in ${(totalS / 60).toFixed(1)} minutes.`,
  'Each section can be made alone with the command it names (as root, after `npm run build`; the fleet benchmark compares',
  'against Ansible only when `bench/install-bench-deps.sh` has installed it).',
  '',
  table(
    ['machine', ''],
    [
      ['CPUs (`nproc`)', m.nproc],
      ['CPU model', m.cpu],
      ['memory', m.memory],
      ['kernel', m.kernel],
      ['Node.js', m.node],
      ['load average (1, 5, 15 min) at the start / end', `${sections[0]?.load?.before ?? loadAverage()} / ${loadAverage()}`],
    ],
  ),
  '',
  'This machine is shared: other engineers run test suites on it at the same time, so absolute figures move from run to run.',
  'That is why every comparison is a ratio of things measured side by side in the same run, and why each figure is a median',
  'of several runs with its spread (min–max). The load average at the start and end of each section is given with it.',
  '',
  '## Targets',
  '',
  targetRows.length ? [...targetsTable([]).split('\n'), ...targetRows].join('\n') : '(no benchmark produced figures)',
  '',
  ...order.flatMap((t) => {
    const s = made.get(t);
    return s ? sectionText(s) : [kept!.sections.get(t)!, ''];
  }),
].join('\n');
writeFileSync(out, page.replace(/\n{3,}/g, '\n\n'));
process.stderr.write(`bench: wrote ${out} (${(totalS / 60).toFixed(1)} min)\n`);

function sectionText(s: Section & { at?: string }): string[] {
  return [
    `## ${s.title}`,
    '',
    `Command: \`${s.command}\` · measured ${s.at ?? '?'} · took ${s.seconds?.toFixed(0) ?? '?'} s · load average ${s.load?.before ?? '?'} → ${s.load?.after ?? '?'}`,
    '',
    s.body,
    '',
    s.targets.length ? targetsTable(s.targets) : '',
    '',
  ];
}
