// One verify round, the imperative shell around the pure parts: probe and observe every host
// over one connection each (the same refresh plan uses), then membership against the fresh
// capability models, and the hosts' live state against the recorded state.
import type { State } from '../state/state.js';
import { preparePlan, type PrepareOptions } from '../refresh/prepare-plan.js';
import { compareFindings, type Finding } from '../refresh/finding.js';
import { membershipFindings } from './membership-findings.js';
import type { RemovedProbes } from '../refresh/probe-leftovers.js';
import { parseAddress } from '../address/address.js';

export interface HostSummary {
  host: string;
  resources: number;
  findings: number;
}

export interface VerifyResult {
  findings: Finding[];
  hosts: HostSummary[];
  /** Probes of `verify --probe` an earlier run left behind, removed by this round's refresh. */
  probesRemoved?: RemovedProbes[];
}

export async function verifyOnce(
  file: string,
  o: Omit<PrepareOptions, 'refresh' | 'capabilitiesDir' | 'destroy'>,
  state?: State,
): Promise<VerifyResult> {
  const p = await preparePlan(file, { ...o, refresh: true }, state);
  await p.pool.closeAll();
  const observed = new Set(p.findings.map((f) => f.address));
  // Drift only the manifests show (a record gone or changed on the host), as findings too.
  const recordDrift: Finding[] = p.drift
    .filter((d) => !observed.has(d.address))
    .map((d) => ({
      kind: 'drift',
      host: parseAddress(d.address).host,
      address: d.address,
      message: d.kind === 'missing' ? `gone: ${d.detail}` : d.detail,
    }));
  const findings = [...membershipFindings(p.topology, p.capabilities, p.state), ...p.findings, ...recordDrift].sort(compareFindings);
  const hosts = p.readings.map((r) => ({
    host: r.host,
    resources: p.state.resources.filter((x) => x.host === r.host).length,
    findings: findings.filter((f) => f.host === r.host).length,
  }));
  return { findings, hosts, ...(p.probesRemoved.length ? { probesRemoved: p.probesRemoved } : {}) };
}
