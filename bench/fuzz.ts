// The fuzz benchmark: N bad topologies generated from a seed, each run through loadTopology (the
// file on disk, as every command reads it) and, when it passes, through the planner with
// generated capability models and the renderer of every host's bundle, all in this process.
// None may throw, take over 1 s, or open a connection (the socket layer is stubbed to count
// and refuse any attempt). Prints counts by outcome; exit 1 on any failure.
// Usage: node dist/bench/fuzz.js [--count 10000] [--seed 1]
import net from 'node:net';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import yaml from 'js-yaml';
import { loadTopology } from '../src/topology/load.js';
import { buildPlan } from '../src/plan/build-plan.js';
import { proxyHookDigest, renderHostBundle } from '../src/apply/render/index.js';
import { orderHostActions } from '../src/apply/apply-plan.js';
import { emptyState } from '../src/state/store.js';
import type { Capabilities } from '../src/capabilities/schema.js';
import type { Topology } from '../src/topology/schema.js';
import type { PlannedAction } from '../src/plan/plan.js';
import type { AnyResource } from '../src/plan/resources.js';
import { seededRandom, type SeededRandom } from '../test/support/seeded-random.js';

export type Outcome = 'refused by validation' | 'refused by the planner' | 'planned and rendered' | 'threw' | 'over 1 s' | 'connected';
export const FAILURES: Outcome[] = ['threw', 'over 1 s', 'connected'];
const HANG_GUARD_MS = 1000;

export interface FuzzResult {
  count: number;
  seed: number;
  outcomes: Record<Outcome, number>;
  /** The first failures, each with what reproduces it. */
  failures: { index: number; outcome: Outcome; detail: string }[];
  /** How many cases each kind of mutation took part in. */
  mutations: Record<string, number>;
  ms: number;
}

type Rng = SeededRandom;

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

function bases(): Topology[] {
  const out: Topology[] = [];
  for (const d of readdirSync(EXAMPLES).sort()) {
    try {
      out.push(yaml.load(readFileSync(join(EXAMPLES, d, 'topology.yaml'), 'utf8')) as Topology);
    } catch {
      /* not an example folder */
    }
  }
  return out;
}

const HOSTILE = [
  'x;reboot',
  '$(id)',
  '`id`',
  "a'b",
  'a"b',
  'a\nb',
  'a b',
  '../etc',
  '/etc/../x',
  'x}',
  'Ünï',
  '\u202e',
  '',
  'a'.repeat(40),
  '-x',
  'eth0.',
  'tvd-1234567890123',
];
const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53,
  1e308,
  '',
  [],
  {},
  'open',
  'closed',
  'controlled',
  '198.19.0.0/16',
  '198.19.1.1',
  '0.0.0.0/0',
  '255.255.255.255',
  4094,
  65536,
  16777215,
];

type Obj = Record<string, unknown>;
const names = (o: unknown) => (o && typeof o === 'object' ? Object.keys(o) : []);

/**
 * Mutations that aim at meaning more than syntax: most keep the file schema-valid, so the case
 * reaches the meaning checks or the planner. Each returns its name.
 */
const MUTATIONS: [string, (r: Rng, t: Topology) => void][] = [
  [
    'unknown reference',
    (r, t) => {
      const vms = names(t.vms);
      if (vms.length && r.chance(0.5)) (t.vms as Obj as Record<string, Obj>)[r.pick(vms)].host = r.pick(['nohost', 'h9']);
      else if (t.flows?.length) t.flows[r.int(t.flows.length)].to = 'notatvd';
      else t.tvds[names(t.tvds)[0] ?? 'a'] = { ...(t.tvds[names(t.tvds)[0]] ?? {}), firewall: 'nohost' };
    },
  ],
  [
    'overlapping subnets',
    (r, t) => {
      const tvds = names(t.tvds);
      for (const n of tvds) if (r.chance(0.6)) t.tvds[n].subnet = r.pick(['198.19.0.0/16', '198.19.1.0/24', '198.19.1.128/25']);
    },
  ],
  [
    'address outside or clashing',
    (r, t) => {
      for (const vm of Object.values(t.vms ?? {}))
        for (const nic of vm.nics)
          if (r.chance(0.5)) nic.ip = r.pick(['198.19.1.10', '198.19.1.0', '198.19.1.255', '10.0.0.1', '198.19.9.9', '198.19.1.1']);
    },
  ],
  [
    'duplicate MACs',
    (r, t) => {
      for (const vm of Object.values(t.vms ?? {}))
        for (const nic of vm.nics)
          if (r.chance(0.6)) nic.mac = r.pick(['00:16:3e:00:00:01', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '00:00:00:00:00:00']);
    },
  ],
  [
    'pinned ids clash',
    (r, t) => {
      for (const n of names(t.tvds)) {
        if (r.chance(0.5)) t.tvds[n].vlan = r.pick([2, 101, 4094]);
        if (r.chance(0.5)) t.tvds[n].vni = r.pick([1, 5101, 16777215]);
      }
    },
  ],
  [
    'contradictory flows',
    (r, t) => {
      const tvds = names(t.tvds);
      const a = r.pick(tvds);
      const b = r.pick(tvds);
      t.flows = [
        ...(t.flows ?? []),
        {
          from: a,
          to: b,
          connection: r.pick(['open', 'closed', 'controlled'] as const),
          allow: r.chance(0.5) ? [{ proto: r.pick(['tcp', 'udp', 'icmp'] as const), port: r.pick([1, 65535, 443]) }] : undefined,
        },
      ];
      if (r.chance(0.5)) t.flows.push({ between: [a, b], connection: r.pick(['open', 'closed'] as const) });
    },
  ],
  [
    'flow needs a subnet',
    (r, t) => {
      const n = r.pick(names(t.tvds));
      if (n) delete t.tvds[n].subnet;
    },
  ],
  [
    'gateway outside subnet',
    (r, t) => {
      const n = r.pick(names(t.tvds));
      if (n) t.tvds[n].gateway = r.pick(['198.19.99.1', '198.19.1.0', '198.19.1.255']);
    },
  ],
  [
    'firewall on a host without the TVD',
    (r, t) => {
      const n = r.pick(names(t.tvds));
      if (n) t.tvds[n].firewall = r.pick(names(t.hosts)) ?? 'h1';
    },
  ],
  [
    'requirements nobody meets',
    (r, t) => {
      const n = r.pick(names(t.tvds));
      if (n)
        t.tvds[n].requires = {
          [r.pick(['tpm', 'hypervisor-integrity', 'storage-encryption'])]: r.chance(0.5)
            ? 'any'
            : [r.pick(['immutable-log', 'evaluation', 'audit'] as const)],
        };
      if (n && r.chance(0.5)) t.tvds[n].membership = { check: 'continual', interval: '1s' };
    },
  ],
  [
    'dedicated NIC clash',
    (r, t) => {
      const h = r.pick(names(t.hosts));
      if (h)
        t.hosts![h].dedicated = Object.fromEntries(
          names(t.tvds)
            .slice(0, 2)
            .map((n) => [n, r.pick(['eth0', 'eth1'])]),
        );
    },
  ],
  [
    'hosts on one address',
    (r, t) => {
      for (const h of names(t.hosts)) if (r.chance(0.7)) t.hosts![h].address = '198.18.0.11';
    },
  ],
  [
    'isolation none twice in a segment',
    (r, t) => {
      for (const n of names(t.tvds)) if (r.chance(0.7)) t.tvds[n].isolation = 'none';
    },
  ],
  [
    'a VM on two TVDs, or none',
    (r, t) => {
      const vms = Object.values(t.vms ?? {});
      const vm = vms.length ? r.pick(vms) : undefined;
      if (vm) vm.nics = r.chance(0.5) ? [] : names(t.tvds).map((tvd) => ({ tvd }));
    },
  ],
  [
    'remove a section',
    (r, t) => {
      const k = r.pick(['hosts', 'vms', 'flows', 'defaults'] as const);
      delete (t as Obj)[k];
    },
  ],
  [
    'hostile string in a random place',
    (r, t) => {
      const spots: [Obj, string][] = [];
      const walk = (o: unknown) => {
        if (!o || typeof o !== 'object') return;
        for (const [k, v] of Object.entries(o)) {
          if (typeof v === 'string') spots.push([o as Obj, k]);
          walk(v);
        }
      };
      walk(t);
      if (spots.length) {
        const [o, k] = r.pick(spots);
        o[k] = r.pick(HOSTILE);
      }
    },
  ],
  [
    'hostile key',
    (r, t) => {
      const section = r.pick(['tvds', 'hosts', 'vms'] as const);
      const m = (t as Obj)[section] as Obj | undefined;
      const k = r.pick(names(m));
      if (m && k !== undefined) {
        const v = m[k];
        delete m[k];
        m[r.pick(HOSTILE)] = v;
      }
    },
  ],
  [
    'odd value in a random place',
    (r, t) => {
      const spots: [Obj, string][] = [];
      const walk = (o: unknown) => {
        if (!o || typeof o !== 'object') return;
        for (const [k, v] of Object.entries(o)) {
          spots.push([o as Obj, k]);
          walk(v);
        }
      };
      walk(t);
      if (spots.length) {
        const [o, k] = r.pick(spots);
        o[k] = structuredClone(r.pick(ODD_VALUES));
      }
    },
  ],
  [
    'many of everything',
    (r, t) => {
      const hosts = names(t.hosts);
      const tvds = names(t.tvds);
      if (!hosts.length || !tvds.length) return;
      const n = 5 + r.int(60);
      for (let i = 0; i < n; i++) {
        t.vms = t.vms ?? {};
        t.vms[`z${i}`] = { host: r.pick(hosts), memory: 128, start: r.chance(0.5), nics: [{ tvd: r.pick(tvds) }] };
      }
    },
  ],
];

/** A capability model for a host, sometimes lacking what the planner needs. */
function capabilitiesFor(r: Rng, host: string, uplink: string | undefined): Capabilities {
  const uplinks: Capabilities['uplinks'] = {};
  if (r.chance(0.85))
    uplinks[uplink && /^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/.test(uplink) ? uplink : 'eth0'] = {
      mtu: r.pick([68, 576, 1280, 1500, 1500, 9000, 65535]),
      address: '198.18.0.11',
    };
  if (r.chance(0.2)) uplinks.eth1 = { mtu: 1500 };
  const properties: Capabilities['properties'] = {};
  for (const p of ['tpm', 'hypervisor-integrity', 'storage-encryption']) {
    if (r.chance(0.4))
      properties[p] = {
        value: r.pick([true, false, 'sha256:00', 3]),
        evidence: r.pick(['trust', 'mutable-log', 'immutable-log', 'evaluation', 'audit'] as const),
      };
  }
  return {
    host,
    collectedAt: '2026-11-26T10:00:00Z',
    functional: (['vlan', 'ethernet', 'ip'] as const).filter(() => r.chance(0.7)),
    mechanisms: {
      bridge: r.chance(0.95),
      vlan: r.chance(0.4),
      vxlan: r.chance(0.7),
      gretap: r.chance(0.3),
      etherip: r.chance(0.3),
      nftables: r.chance(0.9),
    },
    uplinks,
    xen: { version: r.pick(['4.17', '4.2', '']), toolstack: 'xl' },
    properties,
  };
}

function toStep(a: PlannedAction) {
  const address = { host: a.host, ...a.resource };
  const res = (attrs: unknown) => (attrs == null ? undefined : ({ address, attrs } as AnyResource));
  return { address, action: a.action, before: res(a.before), after: res(a.after) };
}

/** Runs the cases; throws nothing itself (every failure is counted). */
export function runFuzz(opts: { count: number; seed: number; maxFailures?: number }): FuzzResult {
  const started = performance.now();
  const outcomes = Object.fromEntries(
    ['refused by validation', 'refused by the planner', 'planned and rendered', ...FAILURES].map((o) => [o, 0]),
  ) as Record<Outcome, number>;
  const mutations: Record<string, number> = {};
  const failures: FuzzResult['failures'] = [];
  const templates = bases();
  const hookDigest = proxyHookDigest();
  const dir = mkdtempSync(join(tmpdir(), 'tvd-fuzz-'));
  const file = join(dir, 'topology.yaml');
  // Any connection attempt is a failure: count it, and refuse it before a packet leaves.
  let connects = 0;
  const realConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket) {
    connects++;
    throw new Error('fuzz: a connection was attempted');
  } as typeof realConnect;
  try {
    // Warm-up, untimed: the first load compiles the schema validator, which is no hang.
    writeFileSync(file, yaml.dump(templates[0], { lineWidth: -1, noRefs: true }));
    loadTopology(file);
    for (let i = 0; i < opts.count; i++) {
      const r = seededRandom(opts.seed * 1_000_003 + i);
      const t = structuredClone(r.pick(templates));
      const used = new Set<string>();
      for (let m = 1 + r.int(3); m > 0; m--) {
        const [name, mutate] = r.pick(MUTATIONS);
        used.add(name);
        try {
          mutate(r, t);
        } catch {
          /* an earlier mutation left nothing this one can work on: the case goes on as it is */
        }
      }
      for (const u of used) mutations[u] = (mutations[u] ?? 0) + 1;
      let outcome: Outcome;
      let detail = '';
      const before = connects;
      const t0 = performance.now();
      try {
        writeFileSync(file, yaml.dump(t, { lineWidth: -1, noRefs: true }));
        const loaded = loadTopology(file);
        if (!loaded.ok) {
          if (loaded.diagnostics.length === 0 || loaded.diagnostics.some((d) => !d.message)) throw new Error('refused without a message');
          outcome = 'refused by validation';
        } else {
          const topo = loaded.topology;
          const capabilities: Record<string, Capabilities> = {};
          for (const [h, spec] of Object.entries(topo.hosts ?? {}))
            if (r.chance(0.97)) capabilities[h] = capabilitiesFor(r, h, spec.uplink);
          const { plan } = buildPlan({ topology: topo, topologyDigest: loaded.digest, capabilities, state: emptyState(), hookDigest });
          if (plan.errors.length) {
            if (plan.errors.some((e) => !e.message)) throw new Error('a plan error without a message');
            outcome = 'refused by the planner';
          } else {
            const byHost = new Map<string, PlannedAction[]>();
            for (const a of plan.actions) byHost.set(a.host, [...(byHost.get(a.host) ?? []), a]);
            for (const [h, acts] of byHost) renderHostBundle(h, orderHostActions(acts).map(toStep));
            outcome = 'planned and rendered';
          }
        }
      } catch (err) {
        outcome = 'threw';
        detail = err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 3).join(' | ') : String(err);
      }
      const ms = performance.now() - t0;
      if (connects > before) outcome = 'connected';
      else if (outcome !== 'threw' && ms > HANG_GUARD_MS) (outcome = 'over 1 s'), (detail = `${ms.toFixed(0)} ms`);
      outcomes[outcome]++;
      if (FAILURES.includes(outcome) && failures.length < (opts.maxFailures ?? 20)) {
        failures.push({
          index: i,
          outcome,
          detail: `${detail} [mutations: ${[...used].join(', ')}; reproduce: --seed ${opts.seed} case ${i}]`,
        });
      }
    }
  } finally {
    net.Socket.prototype.connect = realConnect;
    rmSync(dir, { recursive: true, force: true });
  }
  return { count: opts.count, seed: opts.seed, outcomes, failures, mutations, ms: performance.now() - started };
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`--${name}: expected a whole number`);
  return v;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const res = runFuzz({ count: arg('count', 10_000), seed: arg('seed', 1) });
  console.log(`fuzz: ${res.count} bad topologies from seed ${res.seed} in ${(res.ms / 1000).toFixed(1)} s`);
  for (const [o, n] of Object.entries(res.outcomes)) console.log(`  ${o.padEnd(24)} ${String(n).padStart(6)}`);
  console.log('mutations used (cases):');
  for (const [m, n] of Object.entries(res.mutations).sort()) console.log(`  ${m.padEnd(36)} ${String(n).padStart(6)}`);
  for (const f of res.failures) console.log(`FAIL ${f.outcome}: case ${f.index}: ${f.detail}`);
  const bad = FAILURES.reduce((s, o) => s + res.outcomes[o], 0);
  console.log(bad === 0 ? 'ok: no throw, no case over 1 s, no connection' : `${bad} failures`);
  process.exitCode = bad === 0 ? 0 : 1;
}
