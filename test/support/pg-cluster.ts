// A throwaway PostgreSQL cluster for the backend's tests: initdb in a temp folder, the server on
// 127.0.0.1 at a free port (and its unix socket in the same folder), password authentication
// over TCP, one database `tvd`. Run as the `postgres` user when the tests run as root (initdb
// refuses root). Never the system's cluster. remove() stops it and deletes the folder; it also
// runs on SIGINT/SIGTERM and at exit, so a failing or interrupted test leaves nothing behind.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { cleanupOnInterrupt } from '../../lab/interrupt.js';

export interface PgCluster {
  /** The connection string with the password: what a user would put in PG_CONN_STR. */
  url: string;
  /** The same without the password: what --backend or the topology would say (with PGPASSWORD). */
  publicUrl: string;
  password: string;
  port: number;
  /** pg_ctl restart -m fast: every client connection is ended. */
  restart(): Promise<void>;
  /** A client for the test itself (close it). */
  client(): Promise<pg.Client>;
  remove(): Promise<void>;
}

/** The newest installed server's bin folder (Debian: /usr/lib/postgresql/N/bin), if any. */
export function pgBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

/** Who runs the server: ourselves, or `postgres` when we are root. Undefined when root and there is no such user. */
function serverUser(): { uid: number; gid: number } | null | undefined {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

export function pgSkipReason(): string | false {
  if (!pgBinDir()) return 'PostgreSQL is not installed (scripts/install-deps.sh installs it)';
  if (serverUser() === undefined) return 'running as root without a postgres user to run the server as';
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function run(bin: string, args: string[], as: { uid: number; gid: number } | null, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', HOME: cwd },
      ...(as ?? {}),
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${bin} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = pgBinDir();
  const as = serverUser();
  if (!bin || as === undefined) throw new Error(pgSkipReason() || 'no PostgreSQL');
  const dir = mkdtempSync(join(tmpdir(), 'tvd-pg-'));
  const data = join(dir, 'data');
  const password = `pw-${randomBytes(12).toString('hex')}`;
  writeFileSync(join(dir, 'pwfile'), password + '\n', { mode: 0o600 });
  if (as) chownSync(dir, as.uid, as.gid), chownSync(join(dir, 'pwfile'), as.uid, as.gid);
  const ctl = (args: string[]) => run(join(bin, 'pg_ctl'), ['-D', data, ...args], as, dir);
  let started = false;
  const stop = async () => {
    if (started) await ctl(['-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    started = false;
    rmSync(dir, { recursive: true, force: true });
  };
  const remove = cleanupOnInterrupt(stop);
  // The last resort: a test process that ends without its after hooks still stops the server.
  const onExit = () => {
    if (!started) return;
    try {
      execFileSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'], { stdio: 'ignore', ...(as ?? {}) });
    } catch {
      /* already stopped */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    await run(
      join(bin, 'initdb'),
      [
        '-D',
        data,
        '-U',
        'tvd',
        `--pwfile=${join(dir, 'pwfile')}`,
        '--auth-host=scram-sha-256',
        '--auth-local=trust',
        '-E',
        'UTF8',
        '--no-sync',
      ],
      as,
      dir,
    );
    const port = await freePort();
    await ctl(['-l', join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    started = true;
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'tvd', password, database: 'postgres' });
    await admin.connect();
    await admin.query('CREATE DATABASE tvd');
    await admin.end();
    const url = `postgres://tvd:${password}@127.0.0.1:${port}/tvd`;
    return {
      url,
      publicUrl: `postgres://tvd@127.0.0.1:${port}/tvd`,
      password,
      port,
      // -l: the new server must not hold our pipes open (run() waits for them to close).
      restart: () => ctl(['-l', join(dir, 'server.log'), '-m', 'fast', '-w', 'restart']),
      client: async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        return c;
      },
      remove: async () => {
        process.off('exit', onExit);
        await remove();
      },
    };
  } catch (err) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000) : '';
    process.off('exit', onExit);
    await remove();
    throw new Error(`${(err as Error).message}${log ? `\nserver log:\n${log}` : ''}`);
  }
}
