// Test helper: the system OpenSSH client against a lab host, strict about host keys.
import { spawn } from 'node:child_process';
import type { LabInfo } from '../../lab/api.js';

export interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function ssh(
  lab: Pick<LabInfo, 'identity' | 'knownHosts'>,
  address: string,
  command: string,
  opts: { knownHosts?: string; input?: string } = {},
): Promise<SshResult> {
  const args = [
    '-i',
    lab.identity,
    '-o',
    `UserKnownHostsFile=${opts.knownHosts ?? lab.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'ConnectTimeout=10',
    '-o',
    'LogLevel=ERROR',
    '-F',
    '/dev/null',
    `root@${address}`,
    command,
  ];
  return new Promise((resolve) => {
    const child = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 255, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
