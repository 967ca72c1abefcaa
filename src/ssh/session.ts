// One SSH connection to a topology host (through ProxyJump hops if ssh config says so), with
// host keys checked against known_hosts, and `exec` with stdin, timeouts and a channel limit.
// Every failure is a HostError naming the host: `host h2 (198.18.0.12:22): connection refused`.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type ssh2 from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { loadSsh2 } from './load-ssh2.js';
import { UserError } from '../errors/user-error.js';
import { planAuth, type AuthPlan } from './auth.js';
import { ChannelLimit } from './channel-limit.js';
import { parseSshConfig, resolveHost, type HostTarget, type ResolvedHost } from './config.js';
import { HostError } from './host-error.js';
import { decideHostKey } from './host-key-policy.js';
import { blobKeyType, entriesFor, parseKnownHosts, type KnownHostEntry } from './known-hosts.js';
import type { Sh } from '../shell/quote.js';

export type { HostTarget } from './config.js';

export interface ConnectOptions {
  /** Default ~/.ssh/known_hosts. A missing file means every host is unknown. */
  knownHostsPath?: string;
  /** `--identity PATH`: tried first. */
  identityPath?: string;
  /** Default ~/.ssh/config; a missing file is fine. */
  sshConfigPath?: string;
  /** Record the key of an unknown host in known_hosts (never a changed or revoked one). */
  trustNewHosts?: boolean;
  /** Per hop, TCP connect through authentication. Default 10 s. */
  connectTimeoutMs?: number;
  /** Default for each `exec`. Default 300 s. */
  commandTimeoutMs?: number;
  /** Channels open at once; more wait. Default 4 (OpenSSH allows 10). */
  maxChannels?: number;
  /** The agent socket. Default SSH_AUTH_SOCK; `null` disables the agent. */
  agentSocket?: string | null;
  /** Where `~` is. Default the current user's home. */
  home?: string;
}

export interface ExecOptions {
  /** A script for `sh -s`, or bytes (a file's content) for a command that reads them. */
  stdin?: Sh | Buffer;
  timeoutMs?: number;
  /** Called for each complete stdout line (without the newline) as it arrives. */
  onStdoutLine?: (line: string) => void;
  /**
   * Keep stdin open (after `stdin`) until this settles: a lease the remote command holds for as
   * long as it reads no end of input, which comes too when the connection goes.
   */
  holdStdinUntil?: Promise<unknown>;
}

export interface ExecResult {
  /** Exit status, or null when the command died of a signal or the server sent none. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface HostConnection {
  /** The topology name of the host. */
  readonly host: string;
  /** `address:port` of the final hop, as used in messages. */
  readonly endpoint: string;
  /**
   * Run a command: shell text (Sh), since the server hands it to the user's shell. Rejects
   * (HostError) on timeout or a lost connection; a non-zero exit is a result, not an error.
   */
  exec(command: Sh, opts?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_CHANNELS = 4;

const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

export function defaultKnownHostsPath(home = homedir()): string {
  return join(home, '.ssh', 'known_hosts');
}

export async function connectHost(target: HostTarget, options: ConnectOptions = {}): Promise<HostConnection> {
  const home = options.home ?? homedir();
  const knownHostsPath = options.knownHostsPath ?? defaultKnownHostsPath(home);
  const sshConfigPath = options.sshConfigPath ?? join(home, '.ssh', 'config');
  const config = await readOptional(sshConfigPath).then((text) => {
    if (text === undefined) return undefined;
    try {
      return parseSshConfig(text);
    } catch (err) {
      throw new UserError(`${sshConfigPath}: cannot parse it (${(err as Error).message})`);
    }
  });
  let final: ResolvedHost;
  let jumps: ResolvedHost[];
  try {
    final = resolveHost(config, target, home);
    jumps = final.proxyJump.map((j) => resolveHost(config, { name: j.host, address: j.host, port: j.port, user: j.user }, home));
  } catch (err) {
    throw new HostError(target.name, `${target.address}:${target.port ?? 22}`, `${sshConfigPath}: ${(err as Error).message}`);
  }
  const endpoint = `${final.hostName}:${final.port}`;
  const entries = parseKnownHosts((await readOptional(knownHostsPath)) ?? '');
  const ctx: HopContext = {
    knownHostsPath,
    entries,
    trustNewHosts: options.trustNewHosts ?? false,
    timeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    identityPath: options.identityPath,
    agentSocket: options.agentSocket === null ? undefined : (options.agentSocket ?? process.env.SSH_AUTH_SOCK),
    home,
  };

  const clients: ssh2.Client[] = [];
  try {
    let sock: ClientChannel | undefined;
    const hops = [...jumps, final];
    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i];
      const via = i < hops.length - 1 ? `jump host ${hop.name} (${hop.hostName}:${hop.port}): ` : '';
      clients.push(await openHop(hop, sock, ctx, (reason) => new HostError(target.name, endpoint, via + reason)));
      const next = hops[i + 1];
      if (next) sock = await forward(clients[i], next, (reason) => new HostError(target.name, endpoint, via + reason));
    }
  } catch (err) {
    for (const c of clients.reverse()) c.destroy();
    throw err;
  }
  return new SshHostConnection(target.name, endpoint, clients, {
    commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    maxChannels: options.maxChannels ?? DEFAULT_MAX_CHANNELS,
  });
}

interface HopContext {
  knownHostsPath: string;
  entries: KnownHostEntry[];
  trustNewHosts: boolean;
  timeoutMs: number;
  identityPath?: string;
  agentSocket?: string;
  home: string;
}

async function openHop(
  hop: ResolvedHost,
  sock: ClientChannel | undefined,
  ctx: HopContext,
  error: (reason: string) => HostError,
): Promise<ssh2.Client> {
  const auth = await planAuth({
    user: hop.user,
    identityPath: ctx.identityPath,
    configIdentities: hop.identityFiles,
    agentSocket: ctx.agentSocket,
    home: ctx.home,
  });
  const client = new (await loadSsh2()).Client();
  let refusal: string | undefined;
  const tried: string[] = [];
  let next = 0;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err?: HostError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        client.destroy();
        reject(err);
      } else resolve(client);
    };
    const timer = setTimeout(() => settle(error(`timed out after ${formatDuration(ctx.timeoutMs)}`)), ctx.timeoutMs);
    client.on('ready', () => settle());
    const refused = (e: HostError) => Object.assign(e, { hostKeyRefused: refusal !== undefined });
    client.on('error', (err: Error & { level?: string; code?: string }) =>
      settle(refused(error(refusal ?? describeError(err, hop, tried, auth)))),
    );
    client.on('close', () => settle(refused(error(refusal ?? 'the connection closed during the handshake'))));
    client.connect({
      host: hop.hostName,
      port: hop.port,
      username: hop.user,
      sock,
      readyTimeout: ctx.timeoutMs + 5_000, // ours fires first, with the clearer message
      // A dead link (cable cut, host frozen) sends no RST: without these, TCP would wait for
      // minutes. A host that answers nothing for about the connect timeout is declared lost.
      keepaliveInterval: keepaliveIntervalFor(ctx.timeoutMs),
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      algorithms: { serverHostKey: preferredHostKeyAlgorithms(ctx.entries, hop) as never },
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        const keyType = blobKeyType(key) ?? 'unknown';
        const decision = decideHostKey({
          entries: ctx.entries,
          knownHostsPath: ctx.knownHostsPath,
          address: hop.hostName,
          port: hop.port,
          keyType,
          keyBlob: key,
          trustNewHosts: ctx.trustNewHosts,
        });
        if (decision.action === 'accept') return verify(true);
        if (decision.action === 'refuse') {
          refusal = decision.reason;
          return verify(false);
        }
        recordHostKey(ctx.knownHostsPath, decision.line).then(
          () => verify(true),
          (err: Error) => {
            refusal = `cannot record the new host key in ${ctx.knownHostsPath}: ${err.message}`;
            verify(false);
          },
        );
      },
      authHandler: (() => {
        const attempt = auth.attempts[next++];
        if (!attempt) return false;
        tried.push(attempt.label);
        return attempt.method;
      }) as never,
    });
    // SSH is request and answer: with Nagle's algorithm on, a small packet sent while the one
    // before is unacknowledged waits for the peer's delayed ACK (40 ms on Linux), twice per
    // handshake (KEXECDH_INIT, then the userauth service). A jump hop's channel has no socket.
    client.setNoDelay(true);
  });
}

/** Known key types first, as OpenSSH orders HostKeyAlgorithms, so a host with a listed key offers that one. */
function preferredHostKeyAlgorithms(entries: KnownHostEntry[], hop: ResolvedHost): string[] {
  const known = new Set(entriesFor(entries, hop.hostName, hop.port).map((e) => e.keyType));
  const isKnown = (alg: string) => known.has(alg.startsWith('rsa-sha2-') ? 'ssh-rsa' : alg);
  return [...DEFAULT_HOST_KEY_ALGORITHMS.filter(isKnown), ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !isKnown(a))];
}

async function recordHostKey(path: string, line: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // One short O_APPEND write: concurrent connects do not interleave within a line.
  await appendFile(path, line, { mode: 0o600 });
}

function forward(client: ssh2.Client, next: ResolvedHost, error: (reason: string) => HostError): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, next.hostName, next.port, (err, stream) => {
      if (err) reject(error(`cannot open a tunnel to ${next.hostName}:${next.port} (${err.message})`));
      else resolve(stream);
    });
  });
}

function describeError(err: Error & { level?: string; code?: string }, hop: ResolvedHost, tried: string[], auth: AuthPlan): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'EHOSTUNREACH':
      return 'no route to host';
    case 'ENETUNREACH':
      return 'network is unreachable';
    case 'ETIMEDOUT':
      return 'timed out';
    case 'ECONNRESET':
      return 'connection reset by peer';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${hop.hostName}`;
  }
  if (err.level === 'client-authentication') {
    const what = tried.length
      ? `tried ${tried.join(', ')}`
      : auth.skipped.length
        ? 'no usable key or agent'
        : 'nothing to try: no --identity, no SSH agent (SSH_AUTH_SOCK), no ~/.ssh/id_ed25519, id_ecdsa or id_rsa';
    const skipped = auth.skipped.length ? `; skipped ${auth.skipped.join(', ')}` : '';
    return `authentication failed as ${hop.user} (${what}${skipped})`;
  }
  if (err.level === 'client-timeout') return 'timed out during the SSH handshake';
  if (/Connection lost before handshake/i.test(err.message))
    return 'the connection closed before the SSH handshake (is sshd running there?)';
  return `ssh: ${err.message}`;
}

const KEEPALIVE_COUNT_MAX = 3;

/** ssh2 gives up after KEEPALIVE_COUNT_MAX + 1 unanswered intervals: about the connect timeout in all. */
export function keepaliveIntervalFor(connectTimeoutMs: number): number {
  return Math.max(500, Math.round(connectTimeoutMs / (KEEPALIVE_COUNT_MAX + 1)));
}

export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

class SshHostConnection implements HostConnection {
  private readonly limit: ChannelLimit;
  private closed = false;
  private lost?: string;
  private readonly onLost = new Set<(reason: string) => void>();
  private readonly ended = new WeakSet<ssh2.Client>();

  constructor(
    readonly host: string,
    readonly endpoint: string,
    /** Jump hops first, the target last. */
    private readonly clients: ssh2.Client[],
    private readonly opts: { commandTimeoutMs: number; maxChannels: number },
  ) {
    this.limit = new ChannelLimit(opts.maxChannels);
    for (const c of clients) {
      c.on('error', (err: Error) =>
        this.markLost(
          err.message === 'Keepalive timeout'
            ? 'connection lost: the host stopped answering (keepalive timeout)'
            : `connection lost (${err.message})`,
        ),
      );
      c.on('close', () => {
        this.ended.add(c);
        this.markLost('connection lost');
      });
    }
  }

  private markLost(reason: string): void {
    if (this.lost) return;
    this.lost = this.closed ? 'connection closed' : reason;
    for (const f of this.onLost) f(this.lost);
  }

  private error(reason: string): HostError {
    return new HostError(this.host, this.endpoint, reason);
  }

  exec(command: Sh, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.limit.run(() => this.execNow(command, opts));
  }

  private execNow(command: string, opts: ExecOptions): Promise<ExecResult> {
    if (this.lost) return Promise.reject(this.error(this.lost));
    const client = this.clients[this.clients.length - 1];
    const timeoutMs = opts.timeoutMs ?? this.opts.commandTimeoutMs;
    return new Promise((resolve, reject) => {
      let settled = false;
      let channel: ClientChannel | undefined;
      const finish = (err: HostError | undefined, result?: ExecResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.onLost.delete(lostHandler);
        if (err) {
          channel?.close();
          reject(err);
        } else resolve(result!);
      };
      const lostHandler = (reason: string) => finish(this.error(reason));
      this.onLost.add(lostHandler);
      const timer = setTimeout(() => finish(this.error(`command timed out after ${formatDuration(timeoutMs)}`)), timeoutMs);
      client.exec(command, (err, stream) => {
        if (err) return finish(this.error(`cannot start a command (${err.message})`));
        channel = stream;
        if (settled) return void stream.close();
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let partial = '';
        let code: number | null = null;
        let signal: string | null = null;
        stream.on('data', (chunk: Buffer) => {
          out.push(chunk);
          if (opts.onStdoutLine) {
            const lines = (partial + chunk.toString('utf8')).split('\n');
            partial = lines.pop()!;
            for (const line of lines) opts.onStdoutLine(line);
          }
        });
        stream.stderr.on('data', (chunk: Buffer) => errOut.push(chunk));
        stream.on('exit', (c: number | null, s?: string) => {
          code = typeof c === 'number' ? c : null;
          signal = s ?? null;
        });
        stream.on('close', () => {
          if (opts.onStdoutLine && partial) opts.onStdoutLine(partial);
          finish(undefined, { code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') });
        });
        if (opts.holdStdinUntil === undefined) stream.end(opts.stdin ?? undefined);
        else {
          if (opts.stdin !== undefined) stream.write(opts.stdin);
          const end = () => void stream.end();
          opts.holdStdinUntil.then(end, end);
        }
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The target first, then the hops it runs through.
    for (const c of [...this.clients].reverse()) {
      await new Promise<void>((resolve) => {
        if (this.ended.has(c)) return resolve();
        const t = setTimeout(() => {
          c.destroy();
          resolve();
        }, 2_000);
        c.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        c.end();
      });
    }
  }
}
