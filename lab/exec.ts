// `tvd-lab exec`: runs a command in a host's Dom0 (its network, mount and UTS namespaces, as an
// SSH session would) or inside a VM's network namespace on whichever host runs that VM.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../src/errors/user-error.js';
import { HOST_PATH } from './host-files.js';
import { isXenLab, type AnyLabInfo, type LabHost, type LabInfo } from './lab-info.js';
import { xenExec } from './xen/exec.js';
import { isAnchor, requireRoot } from './namespaces.js';
import { run, type RunResult } from './process.js';
import { listPrefixes, readRecord } from './registry.js';

/** A host's Dom0, a VM by domain name, or a bare name: a host if the lab has one so named, else a VM. */
export type ExecTarget = { host: string } | { vm: string } | string;

/** The lab with this prefix, of either kind (or the only lab that is up). */
export function findAnyLab(prefix?: string): AnyLabInfo {
  if (prefix === undefined) {
    const up = listPrefixes().filter((p) => readRecord(p)?.info);
    if (up.length !== 1) throw new UserError(up.length === 0 ? 'no lab is up' : `several labs are up (${up.join(', ')}): give --prefix`);
    prefix = up[0];
  }
  const info = readRecord(prefix)?.info;
  if (!info) throw new UserError(`no lab with prefix '${prefix}' is up`);
  return info;
}

/** A namespace lab: what needs its namespaces, host folders and anchor processes. */
export function findLab(prefix?: string): LabInfo {
  const info = findAnyLab(prefix);
  if (isXenLab(info)) throw new UserError(`lab '${info.prefix}' is a real-Xen lab; this works on namespace labs only`);
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
    throw new UserError(
      hostName !== undefined
        ? `lab '${lab.prefix}' has no host '${hostName}' (hosts: ${lab.hosts.map((h) => h.name).join(', ')})`
        : `no host of lab '${lab.prefix}' runs a VM named '${(target as { vm: string }).vm}'`,
    );
  }
  if (!isAnchor(host.pid, host.netns))
    throw new UserError(`host ${host.name} of lab '${lab.prefix}' is not running (its anchor process ${host.pid} is gone)`);
  const enter = ['nsenter', '-t', String(host.pid), '-m', '-n', '-u', '--wd=/', '--', 'env', `PATH=${HOST_PATH}`, 'HOME=/root'];
  return 'vm' in target ? [...enter, 'ip', 'netns', 'exec', target.vm, ...argv] : [...enter, ...argv];
}

/** Runs and captures output (for tests and the API). */
export async function labExec(prefix: string, target: ExecTarget, argv: string[], input?: string): Promise<RunResult> {
  requireRoot();
  const lab = findAnyLab(prefix);
  if (isXenLab(lab)) return xenExec(lab, resolveTarget(lab, target), argv, input);
  return run(execArgv(lab, target, argv), { input });
}

function resolveTarget(lab: AnyLabInfo, t: ExecTarget): { host: string } | { vm: string } {
  return typeof t === 'string' ? (lab.hosts.some((h) => h.name === t) ? { host: t } : { vm: t }) : t;
}

/** Runs with the caller's terminal (for the CLI); resolves with the exit code. */
export async function labExecInteractive(prefix: string | undefined, target: ExecTarget, argv: string[]): Promise<number> {
  requireRoot();
  const lab = findAnyLab(prefix);
  if (isXenLab(lab)) {
    // A guest's console carries one command and its output, not a terminal.
    const r = await xenExec(lab, resolveTarget(lab, target), argv);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.code;
  }
  const full = execArgv(lab, target, argv);
  return new Promise((resolve) => {
    const child = spawn(full[0], full.slice(1), { stdio: 'inherit', cwd: '/' });
    child.on('error', () => resolve(127));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
