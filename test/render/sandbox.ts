// A throwaway Dom0 for running rendered scripts for real: a process in its own network
// namespace and mount namespace (unshare -m -n), where /etc, /var and /usr/local are overlays
// whose writes land in a tmpfs, /var/lib/tvd, /etc/xen and /etc/systemd are fresh tmpfs,
// /run/netns is a private tmpfs, so the namespaces the scripts make (`ip netns add`) exist only
// in here, and /sys is sysfs mounted in the new network namespace (so it lists its links).
// Nothing a script does reaches the real machine. Commands run through `nsenter -t PID -m -n
// sh -s`, as the bundle runs over SSH.
//
// Cleanup (stop): every namespace listed in the private /run/netns is deleted by name, inner
// links first, then the holder process is killed by its pid; its network namespace (with every
// link in it) and its mount namespace (with every mount) go with it. The stage folder goes last.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SETUP = `set -eu
S=$1
mount --make-rprivate /
mount -t tmpfs tvd-test-stage "$S"
for d in etc var usrlocal; do mkdir -p "$S/$d/upper" "$S/$d/work"; done
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$S/etc/upper,workdir=$S/etc/work" /etc
mount -t overlay overlay -o "lowerdir=/var,upperdir=$S/var/upper,workdir=$S/var/work" /var
mount -t overlay overlay -o "lowerdir=/usr/local,upperdir=$S/usrlocal/upper,workdir=$S/usrlocal/work" /usr/local
mkdir -p /etc/xen /var/lib/tvd /run/netns
mount -t tmpfs tvd-test-etc-xen /etc/xen
mount -t tmpfs tvd-test-var-lib-tvd /var/lib/tvd
mount -t tmpfs tvd-test-etc-systemd /etc/systemd
mount -t tmpfs tvd-test-netns /run/netns
# A Dom0's /sys shows its own links: sysfs mounted anew in this network namespace.
mount -t sysfs tvd-test-sys /sys
# What a Dom0 has before tvd: Xen's scripts folder and systemd's unit folders.
mkdir -p /etc/xen/scripts /etc/systemd/system/multi-user.target.wants
ip link set lo up
echo ready
exec sleep 3600
`;

/** The uplink the fixtures name (eth0, 198.18.0.11), with a peer so that it has carrier. */
export const UPLINK = `ip link add name eth0 type veth peer name eth0-peer
ip addr add 198.18.0.11/24 dev eth0
ip link set dev eth0 up
ip link set dev eth0-peer up
`;

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export class Sandbox {
  private constructor(
    private readonly holder: ChildProcess,
    readonly pid: number,
    private readonly stage: string,
  ) {}

  static async start(): Promise<Sandbox> {
    const stage = mkdtempSync(join(tmpdir(), 'tvd-render-sandbox-'));
    const holder = spawn('unshare', ['-m', '-n', '--propagation', 'private', 'sh', '-c', SETUP, 'sh', stage], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    holder.stderr!.on('data', (d) => (err += d));
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        holder.stdout!.on('data', (d) => {
          out += d;
          if (out.includes('ready\n')) resolve();
        });
        holder.on('exit', (code, signal) => reject(new Error(`sandbox setup failed (${code ?? signal}): ${err}`)));
        holder.on('error', reject);
      });
    } catch (e) {
      rmSync(stage, { recursive: true, force: true });
      throw e;
    }
    return new Sandbox(holder, holder.pid!, stage);
  }

  /** Runs a script inside, on stdin, as `sh -s` (the way the bundle runs over SSH). */
  run(script: string, env: Record<string, string> = {}): RunResult {
    const r = spawnSync(
      'nsenter',
      ['-t', String(this.pid), '-m', '-n', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'sh', '-s'],
      {
        input: script,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Runs and fails the test with the output when the script fails. */
  ok(script: string, env: Record<string, string> = {}): string {
    const r = this.run(script, env);
    if (r.status !== 0) throw new Error(`script failed (${r.status}):\n${r.stderr}\n--- script ---\n${script}`);
    return r.stdout;
  }

  async stop(): Promise<void> {
    try {
      // Every namespace in the private /run/netns is one the tests made: delete each by name.
      this.run(`for ns in $(ip netns list | cut -d' ' -f1); do
  ip -n "$ns" -o link show | while IFS=': ' read -r _ dev _; do
    dev=\${dev%%@*}
    [ "$dev" = lo ] || ip -n "$ns" link del dev "$dev" 2>/dev/null || true
  done
  ip netns del "$ns"
done`);
    } finally {
      if (this.holder.exitCode === null) {
        const exited = new Promise((resolve) => this.holder.once('exit', resolve));
        process.kill(this.pid, 'SIGKILL');
        await exited;
      }
      rmSync(this.stage, { recursive: true, force: true });
    }
  }
}

/** Everything a rendered script can change, as one comparable object. */
export interface Snapshot {
  [section: string]: unknown;
}

const SNAPSHOT = `snap() { echo "@@section $1"; shift; "$@" 2>&1 || true; }
snap links ip -d -j link show
snap addrs ip -j -4 addr show
snap routes ip -j route show
snap fdb bridge -j fdb show
snap nft nft list ruleset
for ns in $(ip netns list | cut -d' ' -f1 | sort); do
  snap "ns $ns links" ip -n "$ns" -d -j link show
  snap "ns $ns addrs" ip -n "$ns" -j -4 addr show
  snap "ns $ns routes" ip -n "$ns" -j route show
  snap "ns $ns nft" ip netns exec "$ns" nft list ruleset
  snap "ns $ns forwarding" ip netns exec "$ns" sysctl -n net.ipv4.ip_forward
done
echo "@@section files"
find /var/lib/tvd /etc/xen /etc/systemd /var/log/tvd -printf '%p %y %m %U %i %l\\n' 2>/dev/null | sort
echo "@@section contents"
find /var/lib/tvd /etc/xen /etc/systemd /var/log/tvd -type f -exec sha256sum {} + 2>/dev/null | sort -k2
`;

/**
 * Keys that move by themselves: timers, and what the kernel derives from carrier later and
 * asynchronously (linkwatch), not from any command. Then keys that differ whenever a link is
 * made again.
 */
const ALWAYS_DROP = /_timer$|^operstate$/;
const CARRIER_FLAGS = new Set(['LOWER_UP', 'NO-CARRIER', 'M-DOWN']);
const RECREATE_DROP = new Set([
  'ifindex',
  'link_index',
  'address',
  'perm_address',
  'bridge_id',
  'root_id',
  'designated_root',
  'designated_bridge',
  'link_netnsid',
  'link',
  'id',
  'no',
]);

function normalise(v: unknown, loose: boolean): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(typeof x === 'string' && CARRIER_FLAGS.has(x))).map((x) => normalise(x, loose));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (ALWAYS_DROP.test(k) || (loose && RECREATE_DROP.has(k))) continue;
      // A link's own MAC in the FDB is random; the all-zero flood entries are what matter.
      if (loose && k === 'mac' && x !== '00:00:00:00:00:00') continue;
      out[k] = normalise(x, loose);
    }
    return out;
  }
  return v;
}

/**
 * strict: exact, down to ifindexes, MACs and file inodes (so "nothing changed" means nothing was
 * made again). loose: what a reboot may legitimately change (ifindexes, random MACs, inodes).
 */
export function snapshot(box: Sandbox, mode: 'strict' | 'loose' = 'strict'): Snapshot {
  const out = box.ok(SNAPSHOT);
  const snap: Snapshot = {};
  for (const part of out.split('@@section ').slice(1)) {
    const nl = part.indexOf('\n');
    const name = part.slice(0, nl);
    const body = part.slice(nl + 1).trim();
    let value: unknown = body;
    if (body.startsWith('[')) {
      let parsed = JSON.parse(body) as { mac?: string }[];
      // Multicast FDB entries follow the links' IPv6 addresses, which the kernel configures
      // later and by itself (link-local, DAD): not something a script did.
      if (name === 'fdb') parsed = parsed.filter((e) => !e.mac || parseInt(e.mac.slice(0, 2), 16) % 2 === 0);
      value = normalise(parsed, mode === 'loose');
    } else if (name === 'files' && mode === 'loose')
      value = body
        .split('\n')
        .map((l) =>
          l
            .split(' ')
            .filter((_, i) => i !== 4)
            .join(' '),
        )
        .join('\n');
    snap[name] = value;
  }
  return snap;
}
