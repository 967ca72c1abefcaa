// An example topology put onto a lab and written to a file tvd can read.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import type { Topology } from '../../src/topology/schema.js';
import type { AnyLabInfo } from '../../lab/api.js';
import { fitTopology } from '../../lab/fit-topology.js';

export const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));

export function readExample(name: string): Topology {
  return yaml.load(readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8')) as Topology;
}

export function writeTopology(dir: string, t: Topology, file = 'topology.yaml'): string {
  const path = join(dir, file);
  writeFileSync(path, yaml.dump(t, { lineWidth: 200 }));
  return path;
}

export function exampleOnLab(
  name: string,
  lab: AnyLabInfo,
  dir: string,
  edit: (t: Topology) => void = () => {},
): { path: string; topology: Topology } {
  const t = fitTopology(readExample(name), lab);
  edit(t);
  return { path: writeTopology(dir, t), topology: t };
}
