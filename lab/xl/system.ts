// Running `ip` and hotplug scripts from the xl stand-in (synchronous, like a toolstack CLI).
import { spawnSync } from 'node:child_process';

export interface SyncResult {
  code: number;
  pid: number;
  stdout: string;
  stderr: string;
}

export function runSync(
  argv: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; passStderr?: boolean } = {},
): SyncResult {
  const r = spawnSync(argv[0], argv.slice(1), {
    input: opts.input ?? '',
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: opts.timeoutMs,
    stdio: ['pipe', 'pipe', opts.passStderr ? 'inherit' : 'pipe'],
  });
  return {
    code: r.status ?? (r.error ? 127 : 128),
    pid: r.pid ?? 0,
    stdout: r.stdout ?? '',
    stderr: (r.stderr ?? '') + (r.error ? String(r.error.message) : ''),
  };
}

export function mustSync(argv: string[], input?: string): string {
  const r = runSync(argv, { input });
  if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}
