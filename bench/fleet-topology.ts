// The topology the fleet benchmark applies to a lab: every host carries two VMs (one running,
// one config only) of two TVDs; TVDs span several hosts and segments; a few controlled flows.
import type { Topology, FlowSpec } from '../src/topology/schema.js';
import type { LabInfo } from '../lab/lab-info.js';

export const FLEET_TVDS = 8;

export function fleetTopology(lab: LabInfo): Topology {
  const tvd = (i: number) => `t${i % FLEET_TVDS}`;
  const tvds: Topology['tvds'] = {};
  for (let i = 0; i < FLEET_TVDS; i++) tvds[tvd(i)] = { subnet: `198.19.${10 + i}.0/24` };
  const flows: FlowSpec[] = [];
  for (let i = 0; i < FLEET_TVDS; i += 2) {
    flows.push({ from: tvd(i), to: tvd(i + 1), connection: 'controlled', allow: [{ proto: 'tcp', port: 443 }, { proto: 'icmp' }] });
  }
  const hosts: NonNullable<Topology['hosts']> = {};
  const vms: NonNullable<Topology['vms']> = {};
  lab.hosts.forEach((h, i) => {
    hosts[h.name] = { address: h.address, port: h.port, user: h.user, uplink: 'eth0', segment: h.segment };
    // Host i runs a VM of TVD i and holds the config of a VM of TVD i+3: each TVD spans 8 hosts.
    vms[`run-${h.name}`] = {
      host: h.name,
      memory: 128,
      start: true,
      nics: [{ tvd: tvd(i), ip: `198.19.${10 + (i % FLEET_TVDS)}.${10 + i}` }],
    };
    vms[`cfg-${h.name}`] = {
      host: h.name,
      memory: 128,
      start: false,
      nics: [{ tvd: tvd(i + 3), ip: `198.19.${10 + ((i + 3) % FLEET_TVDS)}.${100 + i}` }],
    };
  });
  return { version: 1, defaults: { flow: 'closed' }, tvds, flows, hosts, vms };
}

/** One resource changes: the memory of one VM that is only a config (an update of one file). */
export function withOneChange(t: Topology, host: string, memory: number): Topology {
  const c = structuredClone(t);
  c.vms![`cfg-${host}`].memory = memory;
  return c;
}
