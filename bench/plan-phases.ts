// The stages of `tvd plan --refresh=false` timed one by one in a fresh process, to say where the
// time goes (the CPU profile says which functions; this says which stage).
// Usage: node [--expose-gc] dist/bench/plan-phases.js TOPOLOGY CAPS_DIR STATE   -> JSON [[stage, ms, cpu ms, heap bytes?], ...]
import { readFileSync } from 'node:fs';
import { loadTopology } from '../src/topology/load.js';
import { readCapabilityFiles } from '../src/capabilities/read-files.js';
import { buildDesired } from '../src/plan/desired.js';
import { proveReachability } from '../src/plan/reachability.js';
import { diffResources } from '../src/plan/diff.js';
import { transitivityWarnings } from '../src/plan/transitivity.js';
import { proxyHookDigest } from '../src/apply/render/proxy.js';
import type { State } from '../src/state/state.js';

const [file, caps, statePath] = process.argv.slice(2);
const phases: [string, number, number, number?][] = [];
// With --expose-gc, each stage also says how much heap the plan holds after it (collected first,
// outside the stage's time): what the stages keep, where peak RSS comes from.
const collect = (globalThis as { gc?: () => void }).gc;
// Wall time and CPU time (user + system, the collector's threads too) per stage: on a shared
// machine CPU time moves less with other load.
let t = performance.now();
let cpu = process.cpuUsage();
const lap = (name: string) => {
  const now = performance.now();
  const used = process.cpuUsage(cpu);
  const ms = now - t;
  const cpuMs = (used.user + used.system) / 1000;
  if (collect) collect();
  phases.push(collect ? [name, ms, cpuMs, process.memoryUsage().heapUsed] : [name, ms, cpuMs]);
  t = performance.now();
  cpu = process.cpuUsage();
};
const loaded = loadTopology(file);
if (!loaded.ok) throw new Error('invalid topology');
lap('load topology (js-yaml, schema, checks, digest)');
const state = JSON.parse(readFileSync(statePath, 'utf8')) as State;
lap('read state');
const capabilities = readCapabilityFiles(caps, Object.keys(loaded.topology.hosts ?? {}).sort());
lap('read and check capability files');
const desired = buildDesired({
  topology: loaded.topology,
  capabilities,
  allocations: state.allocations,
  hookDigest: proxyHookDigest(),
  priorFirewalls: {},
});
lap('desired resources (src/plan/desired.ts)');
const segments = Object.fromEntries(Object.entries(loaded.topology.hosts ?? {}).map(([h, s]) => [h, s.segment]));
proveReachability({ resources: desired.resources, matrix: desired.matrix, segments, isolated: desired.isolated });
lap('static proof (src/plan/reachability.ts)');
const actions = diffResources(desired.resources, state.resources);
lap('diff against the state (src/plan/diff.ts)');
transitivityWarnings(loaded.topology, desired.matrix);
lap('transitivity warnings (src/plan/transitivity.ts)');
const text = JSON.stringify({ actions }, null, 2);
lap('plan JSON');
void text.length;
process.stdout.write(JSON.stringify(phases) + '\n');
