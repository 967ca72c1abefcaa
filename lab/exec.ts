// `tvd-lab exec`: runs a command in a host's Dom0 (its network, mount and UTS namespaces, as an
// SSH session would) or inside a VM's network namespace on whichever host runs that VM.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../src/topology/diagnostic.js';
import { HOST_PATH } from './host-files.js';
import type { LabHost, LabInfo } from './lab-info.js';
import { isAnchor, requireRoot } from './namespaces.js';
import { run, type RunResult } from './process.js';
import { listPrefixes, readRecord } from './registry.js';

/** A host's Dom0, a VM by domain name, or a bare name: a host if the lab has one so named, else a VM. */
export type ExecTarget = { host: string } | { vm: string } | string;

export function findLab(prefix?: string): LabInfo {
  if (prefix === undefined) {
    const up = listPrefixes().filter((p) => readRecord(p)?.info);
    if (up.length !== 1) throw new UserError(up.length === 0 ? 'no lab is up' : `several labs are up (${up.join(', ')}): give --prefix`);
    prefix = up[0];
  }
  const info = readRecord(prefix)?.info;
  if (!info) throw new UserError(`no lab with prefix '${prefix}' is up`);
  return info;
}

/** The host that runs the domain named `vm`, from each host's xl state (/run/xl/domains). */
export function findVmHost(lab: LabInfo, vm: string): LabHost | undefined {
  for (const h of lab.hosts) {
    const dir = join(h.root, 'run/xl/domains');
    let files: string[] = [];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const f of files.filter((f) => f.endsWith('.json'))) {
      try {
        if ((JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name?: string }).name === vm) return h;
      } catch {
        /* being written */
      }
    }
  }
  return undefined;
}

/** The argv that runs `argv` in the target, from the root namespace. */
export function execArgv(lab: LabInfo, t: ExecTarget, argv: string[]): string[] {
  if (argv.length === 0) throw new UserError('give a command after --');
  const target = typeof t === 'string' ? (lab.hosts.some((h) => h.name === t) ? { host: t } : { vm: t }) : t;
  const hostName = 'host' in target ? target.host : undefined;
  const host = hostName !== undefined ? lab.hosts.find((h) => h.name === hostName) : findVmHost(lab, (target as { vm: string }).vm);
  if (!host) {
    throw new UserError(hostName !== undefined ? `lab '${lab.prefix}' has no host '${hostName}' (hosts: ${lab.hosts.map((h) => h.name).join(', ')})` : `no host of lab '${lab.prefix}' runs a VM named '${(target as { vm: string }).vm}'`);
  }
  if (!isAnchor(host.pid, host.netns)) throw new UserError(`host ${host.name} of lab '${lab.prefix}' is not running (its anchor process ${host.pid} is gone)`);
  const enter = ['nsenter', '-t', String(host.pid), '-m', '-n', '-u', '--wd=/', '--', 'env', `PATH=${HOST_PATH}`, 'HOME=/root'];
  return 'vm' in target ? [...enter, 'ip', 'netns', 'exec', target.vm, ...argv] : [...enter, ...argv];
}

/** Runs and captures output (for tests and the API). */
export async function labExec(prefix: string, target: ExecTarget, argv: string[], input?: string): Promise<RunResult> {
  requireRoot();
  return run(execArgv(findLab(prefix), target, argv), { input });
}

/** Runs with the caller's terminal (for the CLI); resolves with the exit code. */
export function labExecInteractive(prefix: string | undefined, target: ExecTarget, argv: string[]): Promise<number> {
  requireRoot();
  const full = execArgv(findLab(prefix), target, argv);
  return new Promise((resolve) => {
    const child = spawn(full[0], full.slice(1), { stdio: 'inherit', cwd: '/' });
    child.on('error', () => resolve(127));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
