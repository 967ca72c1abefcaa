// Runs the built `tvd` CLI as a user would, against a lab.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AnyLabInfo } from '../../lab/api.js';

// The bundle package.json's bin runs (scripts/bundle-cli.ts), as a user would.
export const TVD_MAIN = fileURLToPath(new URL('../../bin/tvd/main.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function tvd(args: string[], opts: CliOptions & { input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TVD_MAIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(opts.input ?? '');
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** --state, --known-hosts and --identity for a lab. */
export function labArgs(lab: Pick<AnyLabInfo, 'knownHosts' | 'identity'>, statePath: string): string[] {
  return ['--state', statePath, '--known-hosts', lab.knownHosts, '--identity', lab.identity];
}
