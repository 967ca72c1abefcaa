// The SSH transport against a real OpenSSH server in its own network namespace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { connectHost, type ConnectOptions } from '../../src/ssh/session.js';
import { HostError } from '../../src/ssh/host-error.js';
import { sh, shQuote } from '../../src/shell/quote.js';
import { UserError } from '../../src/errors/user-error.js';
import { startTestSshd, makeKeyPair, type TestSshd } from './sshd-fixture.js';

let s: TestSshd;
before(async () => {
  s = await startTestSshd();
});
after(async () => {
  await s?.stop();
});

let n = 0;
/** Options isolated from the real ~/.ssh and agent: a fresh home with only what the test writes. */
function opts(knownHosts: string, extra: Partial<ConnectOptions> = {}): ConnectOptions & { knownHostsPath: string } {
  const home = join(s.dir, `home${n++}`);
  mkdirSync(join(home, '.ssh'), { recursive: true });
  const knownHostsPath = join(home, '.ssh', 'known_hosts');
  writeFileSync(knownHostsPath, knownHosts);
  return { home, knownHostsPath, identityPath: s.clientKey, agentSocket: null, connectTimeoutMs: 5_000, ...extra };
}

const target = () => ({ name: 'h1', address: s.address, port: 22, user: 'root' });

async function refusal(p: Promise<unknown>): Promise<HostError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof HostError, `expected a HostError, got ${String(err)}`);
    assert.ok(err instanceof UserError);
    return err;
  }
  assert.fail('expected the connection to be refused');
}

test('connect, exec with stdin, exit codes, stderr, and lines as they come', async () => {
  const c = await connectHost(target(), opts(`${s.address} ${s.hostKeyLine}\n`));
  try {
    assert.equal(c.endpoint, `${s.address}:22`);
    const r = await c.exec(sh`cat; echo err >&2; exit 3`, { stdin: Buffer.from('hello\nworld\n') });
    assert.deepEqual(r, { code: 3, signal: null, stdout: 'hello\nworld\n', stderr: 'err\n' });
    const lines: string[] = [];
    const r2 = await c.exec(sh`printf "a\\nb\\nc"`, { onStdoutLine: (l) => lines.push(l) });
    assert.equal(r2.code, 0);
    assert.deepEqual(lines, ['a', 'b', 'c']);
    // More commands than the channel limit at once: all complete (queued beyond 4).
    const many = await Promise.all(Array.from({ length: 12 }, (_, i) => c.exec(sh`echo ${i}`)));
    assert.deepEqual(
      many.map((m) => m.stdout),
      Array.from({ length: 12 }, (_, i) => `${i}\n`),
    );
    // Runs in the server's namespace: its eth0 has the server's address.
    const ip = await c.exec(sh`ip -o -4 addr show dev eth0`);
    assert.match(ip.stdout, new RegExp(s.address.replace(/\./g, '\\.')));
  } finally {
    await c.close();
  }
});

test('a command timeout is a HostError and the connection stays usable', async () => {
  const c = await connectHost(target(), opts(`${s.address} ${s.hostKeyLine}\n`));
  try {
    const e = await refusal(c.exec(sh`sleep 30`, { timeoutMs: 500 }));
    assert.match(e.message, /^host h1 \(198\.18\.254\.\d+:22\): command timed out after 500ms$/);
    assert.equal((await c.exec(sh`echo ok`)).stdout, 'ok\n');
  } finally {
    await c.close();
  }
});

test('an unknown host key is refused with the fingerprint and how to trust it', async () => {
  const o = opts('');
  const e = await refusal(connectHost(target(), o));
  const fp = execFileSync('ssh-keygen', ['-lf', join(s.dir, 'host_ed25519.pub')], { encoding: 'utf8' }).split(' ')[1];
  assert.ok(e.message.startsWith(`host h1 (${s.address}:22): host key is not known (ED25519 key ${fp}`), e.message);
  assert.ok(e.message.includes(`ssh-keyscan -p 22 -t ed25519 ${s.address} >> ${o.knownHostsPath}`), e.message);
});

test('the how-to command really makes the host trusted', async () => {
  const o = opts('');
  await refusal(connectHost(target(), o));
  const scanned = execFileSync('ssh-keyscan', ['-p', '22', '-t', 'ed25519', s.address], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  writeFileSync(o.knownHostsPath, scanned);
  const c = await connectHost(target(), o);
  await c.close();
});

test('a changed host key is refused', async () => {
  const other = makeKeyPair(s.dir, `other${n}`);
  const e = await refusal(connectHost(target(), opts(`${s.address} ${other.pubLine}\n`)));
  assert.match(e.message, /host key changed/);
  assert.match(e.message, /ssh-keygen -R/);
});

test('a revoked host key is refused even when also listed as trusted', async () => {
  const e = await refusal(connectHost(target(), opts(`${s.address} ${s.hostKeyLine}\n@revoked * ${s.hostKeyLine}\n`)));
  assert.match(e.message, /host key is revoked/);
});

test('hashed entries and [host]:port entries match', async () => {
  const o = opts(`${s.address} ${s.hostKeyLine}\n[${s.address}]:2222 ${s.hostKeyLine}\n`);
  execFileSync('ssh-keygen', ['-H', '-f', o.knownHostsPath], { stdio: 'ignore' });
  const hashed = readFileSync(o.knownHostsPath, 'utf8');
  assert.ok(!hashed.includes(s.address) && hashed.startsWith('|1|'));
  for (const port of [22, 2222]) {
    const c = await connectHost({ ...target(), port }, o);
    assert.equal((await c.exec(sh`echo ok`)).stdout, 'ok\n');
    await c.close();
  }
  // A port-22 entry does not vouch for port 2222.
  const e = await refusal(connectHost({ ...target(), port: 2222 }, opts(`${s.address} ${s.hostKeyLine}\n`)));
  assert.match(e.message, /not known/);
});

test('trustNewHosts records an unknown key, and the next connect needs no trust', async () => {
  const o = opts('');
  const c = await connectHost({ ...target(), port: 2222 }, { ...o, trustNewHosts: true });
  await c.close();
  assert.equal(readFileSync(o.knownHostsPath, 'utf8'), `[${s.address}]:2222 ${s.hostKeyLine}\n`);
  const c2 = await connectHost({ ...target(), port: 2222 }, o);
  await c2.close();
});

test('trustNewHosts never overrides a changed key', async () => {
  const other = makeKeyPair(s.dir, `other${n}`);
  const o = opts(`${s.address} ${other.pubLine}\n`);
  const e = await refusal(connectHost(target(), { ...o, trustNewHosts: true }));
  assert.match(e.message, /host key changed/);
  assert.equal(readFileSync(o.knownHostsPath, 'utf8'), `${s.address} ${other.pubLine}\n`);
});

test('connection refused names the host', async () => {
  const e = await refusal(connectHost({ ...target(), name: 'h2', port: 2999 }, opts('')));
  assert.equal(e.message, `host h2 (${s.address}:2999): connection refused`);
  assert.equal(e.host, 'h2');
});

test('a server that never answers times out with the host name', async () => {
  // A TCP listener that accepts and stays silent: the SSH banner never comes.
  const silent: Server = createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, s.peerAddress, r));
  const port = (silent.address() as { port: number }).port;
  try {
    const e = await refusal(connectHost({ name: 'h3', address: s.peerAddress, port }, opts('', { connectTimeoutMs: 1000 })));
    assert.equal(e.message, `host h3 (${s.peerAddress}:${port}): timed out after 1s`);
  } finally {
    silent.close();
    silent.unref();
  }
});

test('wrong credentials: authentication failed, saying what was tried', async () => {
  const stranger = makeKeyPair(s.dir, `stranger${n}`);
  const e = await refusal(connectHost(target(), opts(`${s.address} ${s.hostKeyLine}\n`, { identityPath: stranger.priv })));
  assert.match(e.message, /authentication failed as root \(tried .*stranger/);
  assert.ok(!e.message.includes('PRIVATE KEY'));
});

test('without --identity: the agent, then ~/.ssh/id_*', async () => {
  // ~/.ssh/id_ed25519 of the (test) home is found without being named.
  const o = opts(`${s.address} ${s.hostKeyLine}\n`, { identityPath: undefined });
  writeFileSync(join(o.home!, '.ssh', 'id_ed25519'), readFileSync(s.clientKey));
  const c = await connectHost(target(), o);
  await c.close();
  // An agent holding the key, and nothing on disk.
  const o2 = opts(`${s.address} ${s.hostKeyLine}\n`, { identityPath: undefined });
  const sock = join(s.dir, `agent${n}.sock`);
  const agent = execFileSync('ssh-agent', ['-a', sock, '-s'], { encoding: 'utf8' });
  const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(agent)![1]);
  try {
    execFileSync('ssh-add', [s.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    const c2 = await connectHost(target(), { ...o2, agentSocket: sock });
    await c2.close();
  } finally {
    process.kill(pid, 'SIGTERM');
  }
});

test('ssh config: alias with HostName, Port, User and IdentityFile', async () => {
  const o = opts(`[${s.address}]:2222 ${s.hostKeyLine}\n`, { identityPath: undefined });
  const cfg = join(o.home!, '.ssh', 'config');
  writeFileSync(cfg, `Host h1\n  HostName ${s.address}\n  Port 2222\n  User root\n  IdentityFile ${s.clientKey}\n`);
  const c = await connectHost({ name: 'h1', address: '198.18.254.254' }, { ...o, sshConfigPath: cfg });
  assert.equal(c.endpoint, `${s.address}:2222`);
  await c.close();
});

test('ProxyJump: through the jump host to an address only it can reach', async () => {
  // 127.0.0.1:22 seen from the server's namespace is that same sshd; from here it is not.
  const o = opts(`${s.address} ${s.hostKeyLine}\n127.0.0.1 ${s.hostKeyLine}\n`);
  const cfg = join(o.home!, '.ssh', 'config');
  writeFileSync(cfg, `Host inner\n  HostName 127.0.0.1\n  ProxyJump root@${s.address}\n`);
  const c = await connectHost({ name: 'inner', address: '127.0.0.1' }, { ...o, sshConfigPath: cfg });
  try {
    const r = await c.exec(sh`ip -o -4 addr show dev eth0`);
    assert.match(r.stdout, new RegExp(s.address.replace(/\./g, '\\.')));
  } finally {
    await c.close();
  }
  // The jump host's key is checked too.
  const o2 = opts(`127.0.0.1 ${s.hostKeyLine}\n`);
  const e = await refusal(connectHost({ name: 'inner', address: '127.0.0.1' }, { ...o2, sshConfigPath: cfg }));
  assert.match(
    e.message,
    new RegExp(`^host inner \\(127\\.0\\.0\\.1:22\\): jump host ${s.address.replace(/\./g, '\\.')} .*host key is not known`),
  );
});

test('a dead agent is skipped; a passphrase key is reported, never used or shown', async () => {
  const o = opts(`${s.address} ${s.hostKeyLine}\n`, { identityPath: undefined, agentSocket: join(s.dir, 'no-agent.sock') });
  writeFileSync(join(o.home!, '.ssh', 'id_rsa'), readFileSync(s.clientKey));
  const c = await connectHost(target(), o);
  await c.close();
  const locked = join(s.dir, `locked${n}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-C', '', '-f', locked]);
  await assert.rejects(
    connectHost(target(), { ...o, identityPath: locked }),
    /--identity .*locked.*: needs a passphrase; load it into ssh-agent/,
  );
  writeFileSync(join(o.home!, '.ssh', 'id_rsa'), readFileSync(locked));
  const e = await refusal(connectHost(target(), o));
  assert.match(
    e.message,
    /authentication failed as root \(no usable key or agent; skipped the SSH agent at .*no-agent\.sock \(not answering\), .*id_rsa \(needs a passphrase; load it into ssh-agent\)\)$/,
  );
});

test('no credentials at all: says what it looked for', async () => {
  const e = await refusal(connectHost(target(), opts(`${s.address} ${s.hostKeyLine}\n`, { identityPath: undefined })));
  assert.match(e.message, /authentication failed as root \(nothing to try: no --identity, no SSH agent/);
});

test('never more than 4 commands at once on one connection; a large stdin arrives whole', async () => {
  const c = await connectHost(target(), opts(`${s.address} ${s.hostKeyLine}\n`));
  const dir = `/tmp/tssh-running-${n}`;
  try {
    // Each command counts the commands running beside it (itself included) while it runs.
    const counts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        c
          .exec(
            sh`mkdir -p ${shQuote(dir)} && touch ${shQuote(dir)}/${i} && sleep 0.2 && ls ${shQuote(dir)} | wc -l && rm ${shQuote(dir)}/${i}`,
          )
          .then((r) => Number(r.stdout.trim())),
      ),
    );
    assert.ok(Math.max(...counts) <= 4, `saw ${Math.max(...counts)} at once`);
    const big = Buffer.alloc(3 * 1024 * 1024, 'a');
    const r = await c.exec(sh`wc -c`, { stdin: big });
    assert.equal(r.stdout.trim(), String(big.length));
  } finally {
    await c.exec(sh`rm -rf ${shQuote(dir)}`).catch(() => undefined);
    await c.close();
  }
});

test('a host that drops the connection attempt times out with the host name', async () => {
  // nftables in the server's namespace drops SYNs to port 2223: nothing ever answers.
  s.nsExec('nft', ['add table inet tsshdrop']);
  s.nsExec('nft', ['add chain inet tsshdrop input { type filter hook input priority 0; }']);
  s.nsExec('nft', ['add rule inet tsshdrop input tcp dport 2223 drop']);
  try {
    const e = await refusal(connectHost({ ...target(), name: 'h4', port: 2223 }, opts('', { connectTimeoutMs: 1500 })));
    assert.equal(e.message, `host h4 (${s.address}:2223): timed out after 1500ms`);
  } finally {
    s.nsExec('nft', ['delete table inet tsshdrop']);
  }
});
