// A generated fleet written to a folder: its topology file, the capability model of every host, and
// two states: empty, and as a first apply of its plan records it. The plan benchmark plans it, and
// the build trains the code cache on a small one (scripts/train-code-cache.ts).
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { buildPlan } from '../src/plan/build-plan.js';
import { proxyHookDigest } from '../src/apply/render/proxy.js';
import { topologyDigest } from '../src/topology/digest.js';
import type { State } from '../src/state/state.js';
import { capabilitiesFor, generateTopology, type FleetSize } from './generate-topology.js';

export interface Fleet {
  size: FleetSize;
  file: string;
  bytes: number;
  caps: string;
  deployed: string;
  empty: string;
  vms: number;
  resources: number;
}

export function writeFleet(dir: string, size: FleetSize): Fleet {
  const topology = generateTopology(size);
  const file = join(dir, 'topology.yaml');
  writeFileSync(file, yaml.dump(topology, { lineWidth: 200, flowLevel: 3 }));
  const caps = join(dir, 'caps');
  mkdirSync(caps);
  const capabilities = capabilitiesFor(topology);
  for (const c of capabilities) writeFileSync(join(caps, `${c.host}.json`), JSON.stringify(c, null, 2));
  const empty: State = {
    formatVersion: 1,
    lineage: 'bench',
    serial: 0,
    resources: [],
    allocations: { tvdIds: {}, vlans: {}, transits: {} },
  };
  // The deployed state: what a first apply of this very plan records.
  const { plan, desired } = buildPlan({
    topology,
    topologyDigest: topologyDigest(topology),
    capabilities: Object.fromEntries(capabilities.map((c) => [c.host, c])),
    state: empty,
    hookDigest: proxyHookDigest(),
  });
  if (plan.errors.length) throw new Error(`the generated fleet does not plan: ${plan.errors[0].message}`);
  const deployed: State = {
    formatVersion: 1,
    lineage: 'bench',
    serial: 1,
    resources: desired.resources.map((r) => ({
      host: r.address.host,
      type: r.address.type,
      name: r.address.name,
      attrs: r.attrs,
      status: 'applied',
    })),
    allocations: desired.allocations,
  };
  const paths = { deployed: join(dir, 'state-deployed.json'), empty: join(dir, 'state-empty.json') };
  writeFileSync(paths.deployed, JSON.stringify(deployed));
  writeFileSync(paths.empty, JSON.stringify(empty));
  return {
    size,
    file,
    bytes: statSync(file).size,
    caps,
    ...paths,
    vms: Object.keys(topology.vms ?? {}).length,
    resources: desired.resources.length,
  };
}
