// A real OpenSSH server in its own network namespace, for tests of the SSH transport and probe.
// Name `tsshXXXX`, a /30 from 198.18.254.0/24, fresh host and client keys. stop() removes
// everything by pid and by name.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface TestSshd {
  ns: string;
  /** The server's address inside its namespace (eth0). */
  address: string;
  /** The root-namespace end of the veth pair. */
  peerAddress: string;
  /** Ports sshd listens on. */
  ports: number[];
  /** A scratch folder: keys, known_hosts, configs. Removed by stop(). */
  dir: string;
  /** Client private key that the server accepts. */
  clientKey: string;
  /** The server's host key: `ssh-ed25519 AAAA…` (no comment). */
  hostKeyLine: string;
  hostKeyType: string;
  hostKeyBlob: Buffer;
  /** Run a command inside the namespace. */
  nsExec(cmd: string, args: string[]): string;
  stop(): Promise<void>;
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function makeKeyPair(dir: string, name: string, type = 'ed25519'): { priv: string; pubLine: string } {
  const priv = join(dir, name);
  run('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', priv]);
  const pubLine = readFileSync(priv + '.pub', 'utf8')
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .join(' ');
  return { priv, pubLine };
}

function usedAddresses(): string {
  return run('ip', ['-o', '-4', 'addr', 'show']);
}

export async function startTestSshd(opts: { ports?: number[]; mtu?: number } = {}): Promise<TestSshd> {
  const ports = opts.ports ?? [22, 2222];
  const id = randomBytes(3).toString('hex').slice(0, 5);
  const ns = `tssh${id}`;
  const rootIf = `${ns}r`;
  const dir = mkdtempSync(join(tmpdir(), `${ns}-`));
  let child: ChildProcess | undefined;
  const made = { ns: false, link: false };
  // This sshd shares the machine's /run, where tvd's probe keeps its per-boot cache (/run/tvd):
  // leave none behind that was not there before.
  const hadRunTvd = existsSync('/run/tvd');
  const stop = async () => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child!.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child?.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    if (made.ns) {
      // Session processes of sshd live in the namespace too.
      for (const pid of run('ip', ['netns', 'pids', ns]).split('\n').filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    if (made.link) {
      try {
        run('ip', ['link', 'del', rootIf]);
      } catch {
        /* gone with the namespace */
      }
    }
    if (made.ns) run('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
    if (!hadRunTvd) rmSync('/run/tvd', { recursive: true, force: true });
  };
  try {
    const host = makeKeyPair(dir, 'host_ed25519');
    const client = makeKeyPair(dir, 'id_ed25519');
    writeFileSync(join(dir, 'authorized_keys'), client.pubLine + '\n');
    let k = 0;
    const used = usedAddresses();
    for (let tries = 0; tries < 100; tries++) {
      const c = 1 + Math.floor(Math.random() * 62);
      if (!used.includes(`198.18.254.${4 * c + 1}/`) && !used.includes(`198.18.254.${4 * c + 2}/`)) {
        k = c;
        break;
      }
    }
    if (!k) throw new Error('no free /30 in 198.18.254.0/24');
    const peerAddress = `198.18.254.${4 * k + 1}`;
    const address = `198.18.254.${4 * k + 2}`;
    run('ip', ['netns', 'add', ns]);
    made.ns = true;
    run('ip', ['link', 'add', rootIf, 'type', 'veth', 'peer', 'name', `${ns}n`]);
    made.link = true;
    run('ip', ['link', 'set', `${ns}n`, 'netns', ns]);
    run('ip', ['-n', ns, 'link', 'set', `${ns}n`, 'name', 'eth0']);
    if (opts.mtu) {
      run('ip', ['link', 'set', rootIf, 'mtu', String(opts.mtu)]);
      run('ip', ['-n', ns, 'link', 'set', 'eth0', 'mtu', String(opts.mtu)]);
    }
    run('ip', ['addr', 'add', `${peerAddress}/30`, 'dev', rootIf]);
    run('ip', ['link', 'set', rootIf, 'up']);
    run('ip', ['-n', ns, 'addr', 'add', `${address}/30`, 'dev', 'eth0']);
    run('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
    run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const cfg = join(dir, 'sshd_config');
    writeFileSync(
      cfg,
      [
        ...ports.map((p) => `Port ${p}`),
        'ListenAddress 0.0.0.0',
        `HostKey ${host.priv}`,
        'PidFile none',
        'UsePAM no',
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'AllowTcpForwarding yes',
        'MaxSessions 10',
        'LogLevel INFO',
        '',
      ].join('\n'),
    );
    child = spawn('ip', ['netns', 'exec', ns, '/usr/sbin/sshd', '-D', '-e', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const onData = (d: Buffer) => {
        log += d.toString();
        if (ports.every((p) => log.includes(`port ${p}.`))) {
          child!.stderr!.off('data', onData);
          child!.stderr!.resume();
          resolve();
        }
      };
      child!.stderr!.on('data', onData);
      child!.once('exit', (code) => reject(new Error(`sshd exited (${code}): ${log}`)));
    });
    const blob = Buffer.from(host.pubLine.split(' ')[1], 'base64');
    return {
      ns,
      address,
      peerAddress,
      ports,
      dir,
      clientKey: client.priv,
      hostKeyLine: host.pubLine,
      hostKeyType: host.pubLine.split(' ')[0],
      hostKeyBlob: blob,
      nsExec: (cmd, args) => run('ip', ['netns', 'exec', ns, cmd, ...args]),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
