// A small topology for the verify tests, on a lab of two hosts: red spans h1 and h2 (so there is
// a VXLAN with flood peers), blue lives on h1, red may reach blue on ICMP (so both have firewalls).
import type { LabInfo } from '../../lab/api.js';
import type { Topology } from '../../src/topology/schema.js';
import { hostExec } from '../../lab/api.js';

export function verifyTopology(lab: LabInfo, edit: (t: Topology) => void = () => {}): Topology {
  const hosts: NonNullable<Topology['hosts']> = {};
  for (const h of lab.hosts) hosts[h.name] = { address: h.address, port: h.port, user: h.user, uplink: 'eth0', segment: h.segment };
  const t: Topology = {
    version: 1,
    tvds: {
      red: { subnet: '198.19.1.0/24' },
      blue: { subnet: '198.19.2.0/24' },
    },
    flows: [{ from: 'red', to: 'blue', connection: 'controlled', allow: [{ proto: 'icmp' }] }],
    hosts,
    vms: {
      'red-1': { host: 'h1', memory: 128, start: true, nics: [{ tvd: 'red', ip: '198.19.1.10' }] },
      'red-2': { host: 'h2', memory: 128, start: true, nics: [{ tvd: 'red', ip: '198.19.1.11' }] },
      'blue-1': { host: 'h1', memory: 128, start: true, nics: [{ tvd: 'blue', ip: '198.19.2.10' }] },
    },
  };
  edit(t);
  return t;
}

/** The lab's hypervisor-integrity value for a host: the sha256 of the xl stand-in the probe hashes. */
export async function labHypervisorDigest(prefix: string, host: string): Promise<string> {
  const r = await hostExec(prefix, host, ['sha256sum', '/usr/local/sbin/xl']);
  if (r.code !== 0) throw new Error(r.stderr);
  return `sha256:${r.stdout.split(' ')[0]}`;
}

/**
 * Changes what one host reports as its hypervisor digest: a copy of its xl with one more line,
 * bind-mounted over it in that host's own mount namespace (the lab's hosts share one bin folder).
 */
export async function changeHypervisor(prefix: string, host: string): Promise<void> {
  const r = await hostExec(prefix, host, [
    'sh',
    '-c',
    'cp /usr/local/sbin/xl /tmp/xl.changed && echo "# changed by a test" >>/tmp/xl.changed && mount --bind /tmp/xl.changed /usr/local/sbin/xl',
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
}

export async function restoreHypervisor(prefix: string, host: string): Promise<void> {
  await hostExec(prefix, host, [
    'sh',
    '-c',
    'while mountpoint -q /usr/local/sbin/xl || grep -q " /usr/local/sbin/xl " /proc/self/mounts; do umount /usr/local/sbin/xl || break; done; rm -f /tmp/xl.changed',
  ]);
}

export function bridgeOf(
  state: { resources: { host: string; type: string; name: string; attrs: unknown }[] },
  host: string,
  tvd: string,
): string {
  const r = state.resources.find((x) => x.host === host && x.type === 'vswitch' && x.name === tvd);
  if (!r) throw new Error(`no vswitch ${host}/${tvd} in the state`);
  return (r.attrs as { bridge: string }).bridge;
}
