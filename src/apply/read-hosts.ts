// Refresh: one round trip per host reads its capability model and its manifest (two channels
// on one connection, in parallel). Hosts are read in parallel; a host that fails is reported,
// the others complete.
import type { Capabilities } from '../capabilities/schema.js';
import type { HostConnection } from '../ssh/session.js';
import { PROBE_COMMAND, PROBE_SCRIPT } from '../capabilities/probe-script.js';
import { parseProbe } from '../capabilities/parse-probe.js';
import { renderManifestScript } from './render/host-record.js';
import { parseManifest, type Manifest } from './manifest.js';

export interface HostReading {
  host: string;
  capabilities?: Capabilities;
  manifest?: Manifest;
  error?: string;
}

export interface ReadOptions {
  probe: boolean;
  manifest: boolean;
  parallelism: number;
  now: () => string;
}

export async function readHost(conn: HostConnection, host: string, o: Omit<ReadOptions, 'parallelism'>): Promise<HostReading> {
  const [probe, manifest] = await Promise.all([
    o.probe ? conn.exec(PROBE_COMMAND, { stdin: PROBE_SCRIPT }) : undefined,
    o.manifest ? conn.exec('sh -s', { stdin: renderManifestScript() }) : undefined,
  ]);
  const reading: HostReading = { host };
  if (probe) {
    const p = parseProbe(host, probe.stdout, o.now());
    if (!p.ok) return { host, error: `host ${host}: capability probe failed: ${p.error}` };
    reading.capabilities = p.capabilities;
  }
  if (manifest) {
    const m = parseManifest(manifest.stdout);
    if (!m) return { host, error: `host ${host}: could not read its manifest (${manifest.stderr.trim().slice(0, 200) || `exit ${manifest.code}`})` };
    reading.manifest = m;
  }
  return reading;
}

export async function readHosts(hosts: string[], connect: (h: string) => Promise<HostConnection>, o: ReadOptions): Promise<HostReading[]> {
  const out: HostReading[] = new Array(hosts.length);
  let next = 0;
  const worker = async () => {
    while (next < hosts.length) {
      const i = next++;
      try {
        out[i] = await readHost(await connect(hosts[i]), hosts[i], o);
      } catch (err) {
        out[i] = { host: hosts[i], error: err instanceof Error ? err.message : String(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.parallelism, hosts.length)) }, worker));
  return out;
}
