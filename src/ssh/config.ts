// ~/.ssh/config, parsed by the `ssh-config` package: where and how to reach a topology host.
// Pure: the caller reads the file. Only HostName, Port, User, IdentityFile and ProxyJump are used.
//
// A topology host is looked up twice, as OpenSSH would for `ssh NAME` and `ssh ADDRESS`:
// by its topology name (so `Host host-a` blocks work as aliases) and by its address. For each
// setting the value from the name lookup wins over the address lookup. The topology's own
// `port`/`user` win over both (like `ssh -p`/`user@`), and the defaults are port 22, user root.
// `Match exec` is never run: resolving a host must not execute commands.
import SSHConfig from 'ssh-config';

export interface HostTarget {
  /** The host's name in the topology (or a jump host's name as written in ProxyJump). */
  name: string;
  address: string;
  /** Only when the topology sets it: ssh config may supply it otherwise. */
  port?: number;
  user?: string;
}

export interface JumpSpec {
  host: string;
  port?: number;
  user?: string;
}

export interface ResolvedHost {
  name: string;
  /** What to connect to: the ssh config HostName, else the topology address. */
  hostName: string;
  port: number;
  user: string;
  /** IdentityFile entries, `~` expanded, in config order. */
  identityFiles: string[];
  /** ProxyJump hops, first hop first; empty when direct. */
  proxyJump: JumpSpec[];
}

type Computed = Record<string, string | string[]>;

export function parseSshConfig(text: string): SSHConfig {
  return SSHConfig.parse(text);
}

export function resolveHost(config: SSHConfig | undefined, target: HostTarget, home: string): ResolvedHost {
  const lookups: Computed[] = config
    ? [compute(config, target.name), ...(target.address !== target.name ? [compute(config, target.address)] : [])]
    : [];
  const first = (key: string): string | undefined => {
    for (const c of lookups) {
      const v = c[key];
      if (typeof v === 'string') return v;
      if (Array.isArray(v) && v.length > 0) return v[0];
    }
    return undefined;
  };
  const hostName = (lookups[0] && str(lookups[0].hostname)) ?? target.address;
  const configPort = first('port');
  const port = target.port ?? (configPort !== undefined ? parsePort(configPort, `Port ${configPort}`) : 22);
  const user = target.user ?? first('user') ?? 'root';
  const identityFiles: string[] = [];
  for (const c of lookups) {
    const v = c.identityfile;
    for (const f of v === undefined ? [] : Array.isArray(v) ? v : [v]) {
      const p = expandPath(f, home, { host: hostName, user, port });
      if (!identityFiles.includes(p)) identityFiles.push(p);
    }
  }
  const jump = first('proxyjump');
  return { name: target.name, hostName, port, user, identityFiles, proxyJump: jump ? parseProxyJump(jump) : [] };
}

function compute(config: SSHConfig, host: string): Computed {
  return config.compute(host, { ignoreCase: true, matchExec: false }) as Computed;
}

function str(v: string | string[] | undefined): string | undefined {
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
}

function parsePort(s: string, what: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`ssh config: ${what}: not a port number`);
  return n;
}

/** `[user@]host[:port]` or `ssh://[user@]host[:port]`, comma-separated; `none` means direct. */
export function parseProxyJump(value: string): JumpSpec[] {
  if (value.trim().toLowerCase() === 'none') return [];
  return value.split(',').map((hop) => {
    let s = hop.trim().replace(/^ssh:\/\//, '');
    let user: string | undefined;
    const at = s.lastIndexOf('@');
    if (at >= 0) {
      user = s.slice(0, at);
      s = s.slice(at + 1);
    }
    let port: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
    if (bracketed) {
      s = bracketed[1];
      if (bracketed[2]) port = parsePort(bracketed[2], `ProxyJump ${hop}`);
    } else {
      const m = /^([^:]+):(\d+)$/.exec(s);
      if (m) {
        s = m[1];
        port = parsePort(m[2], `ProxyJump ${hop}`);
      }
    }
    if (!s) throw new Error(`ssh config: ProxyJump ${hop}: no host`);
    return { host: s, port, user };
  });
}

/** `~` and the common `%` tokens of ssh_config(5) TOKENS in IdentityFile. */
export function expandPath(p: string, home: string, t: { host: string; user: string; port: number }): string {
  const withHome = p === '~' ? home : p.startsWith('~/') ? home + p.slice(1) : p;
  return withHome.replace(/%([%dhpr])/g, (_, c: string) =>
    c === '%' ? '%' : c === 'd' ? home : c === 'h' ? t.host : c === 'p' ? String(t.port) : t.user,
  );
}
