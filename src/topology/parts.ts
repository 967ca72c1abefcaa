// The meaning checks read the topology through this view: only entries the schema check found
// no fault in (so each check can trust its types), but every name that is defined at all (so
// a TVD with a bad `vlan` still counts as existing for the flows that name it).
import type { DataPath, Problem } from './diagnostic.js';
import type { FlowSpec, HostSpec, Topology, TvdSpec, VmSpec } from './schema.js';
import { isPlainObject } from './merge.js';

export interface CheckProblem extends Problem {
  /** Another place the message refers to; `{also}` in the message becomes its file:line:col. */
  also?: DataPath;
}

export interface Parts {
  tvdNames: Set<string>;
  hostNames: Set<string>;
  tvds: [string, TvdSpec][];
  flows: [number, FlowSpec][];
  hosts: [string, HostSpec][];
  vms: [string, VmSpec][];
  defaults: NonNullable<Topology['defaults']>;
  backend?: NonNullable<Topology['backend']>;
  /**
   * Whether the field at this path is in the file but was left out for a fault the schema
   * check reported: a check that would say it is missing stays quiet (one cause, one error).
   */
  faulty: (path: DataPath) => boolean;
}

export type Check = (parts: Parts) => CheckProblem[];

/**
 * The required fields the checks read without testing for them: an entry where one of these is
 * faulty is left out. (A check that starts reading another required field adds it here.)
 */
const REQUIRED: Record<string, string[]> = { tvds: [], hosts: ['address', 'uplink'], vms: ['host', 'nics'] };

/**
 * The clean part of the data, given the schema's problems: an entry with a fault in an optional
 * field is kept without that field; one with a fault in itself or a required field is left out.
 */
export function partsOf(data: unknown, schemaProblems: Problem[]): Parts {
  const faulty = faultyPaths(schemaProblems);
  const exact = new Set(schemaProblems.map((p) => pathKey(p.path)));
  const root = isPlainObject(data) ? data : {};
  const isFaulty = (path: DataPath) => faulty.size > 0 && faulty.has(pathKey(path));

  const cleanEntry = (section: string, name: string, v: Record<string, unknown>): Record<string, unknown> | undefined => {
    const at = [section, name];
    if (!isFaulty(at)) return v;
    if (exact.has(pathKey(at))) return undefined;
    const copy: Record<string, unknown> = {};
    for (const [k, field] of Object.entries(v)) {
      if (!isFaulty([...at, k])) copy[k] = field;
      else if (REQUIRED[section].includes(k) && !(section === 'vms' && k === 'nics')) return undefined;
      else if (section === 'vms' && k === 'nics') {
        const nics = cleanNics(at, field);
        if (!nics) return undefined;
        copy[k] = nics;
      }
    }
    return copy;
  };
  const cleanNics = (vm: DataPath, nics: unknown): unknown[] | undefined => {
    if (!Array.isArray(nics) || exact.has(pathKey([...vm, 'nics']))) return undefined;
    const out: unknown[] = [];
    for (let j = 0; j < nics.length; j++) {
      const at = [...vm, 'nics', j];
      const nic = nics[j];
      if (!isFaulty(at)) out.push(nic);
      else if (!isPlainObject(nic) || exact.has(pathKey(at)) || isFaulty([...at, 'tvd'])) return undefined;
      else out.push(Object.fromEntries(Object.entries(nic).filter(([k]) => !isFaulty([...at, k]))));
    }
    return out;
  };
  const entries = <T>(section: string): [string, T][] => {
    const m = root[section];
    if (!isPlainObject(m)) return [];
    const out: [string, T][] = [];
    for (const [name, v] of Object.entries(m)) {
      if (!isPlainObject(v)) continue;
      const clean = cleanEntry(section, name, v);
      if (clean) out.push([name, clean as T]);
    }
    return out;
  };
  const flows: [number, FlowSpec][] = [];
  if (Array.isArray(root.flows)) {
    root.flows.forEach((f, i) => {
      // Flows are small and their fields depend on each other: one fault leaves the flow out.
      if (isPlainObject(f) && !isFaulty(['flows', i])) flows.push([i, f as unknown as FlowSpec]);
    });
  }
  const names = (key: string) => new Set(isPlainObject(root[key]) ? Object.keys(root[key] as object) : []);
  const defaults = isPlainObject(root.defaults) && !isFaulty(['defaults']) ? (root.defaults as Parts['defaults']) : {};
  return {
    tvdNames: names('tvds'),
    hostNames: names('hosts'),
    tvds: entries<TvdSpec>('tvds'),
    flows,
    hosts: entries<HostSpec>('hosts'),
    vms: entries<VmSpec>('vms'),
    defaults,
    backend: isPlainObject(root.backend) && !isFaulty(['backend']) ? (root.backend as Parts['backend']) : undefined,
    faulty: isFaulty,
  };
}

export function pathKey(path: DataPath): string {
  return path.join('\u0000');
}

export function faultyPaths(problems: Problem[]): Set<string> {
  const set = new Set<string>();
  for (const p of problems) for (let i = 0; i <= p.path.length; i++) set.add(pathKey(p.path.slice(0, i)));
  return set;
}
