// Shared by the topology tests: the project root, and checking YAML text held in memory.
import { fileURLToPath } from 'node:url';
import { checkSources } from '../../src/topology/load.js';
import { formatDiagnostic } from '../../src/topology/diagnostic.js';

/** The project root (tests run from dist/test/topology/). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The problems of one topology text, each as `line:col: path: message` (no file name). */
export function problems(text: string): string[] {
  const r = checkSources([{ file: 't.yaml', text }]);
  return r.ok ? [] : r.diagnostics.map((d) => formatDiagnostic(d).replace(/^t\.yaml:/, ''));
}

/** A small valid topology to start from; each test changes one thing. */
export const BASE = `version: 1
tvds:
  web: {subnet: 198.19.1.0/24}
  db: {subnet: 198.19.2.0/24}
hosts:
  h1: {address: 198.18.0.11, uplink: eth0}
  h2: {address: 198.18.0.12, uplink: eth0}
vms:
  w1: {host: h1, memory: 128, nics: [{tvd: web, ip: 198.19.1.10}]}
  d1: {host: h2, memory: 128, nics: [{tvd: db, ip: 198.19.2.10}]}
`;
