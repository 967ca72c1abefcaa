// The text of the files that make up a lab host and the lab's outputs: pure renderers.
import type { HostPlan } from './address-plan.js';
import { shWord } from '../src/shell/quote.js';

/** PATH inside a host: /usr/local/sbin carries the xl and xenstore stand-ins. */
export const HOST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function sshdConfig(address: string): string {
  return [
    '# sshd of a tvd lab host: root by key only, no PAM, no DNS (fast, deterministic logins).',
    `ListenAddress ${address}`,
    'Port 22',
    'HostKey /etc/ssh/ssh_host_ed25519_key',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'UseDNS no',
    // The key file lives in the host's own /etc/ssh, whose parents may be world-writable lab folders.
    'StrictModes no',
    'AuthorizedKeysFile /etc/ssh/authorized_keys',
    'MaxSessions 10',
    'MaxStartups 100:30:200',
    'PidFile /run/sshd.pid',
    'PrintMotd no',
    'Subsystem sftp internal-sftp',
    `SetEnv PATH=${HOST_PATH}`,
    '',
  ].join('\n');
}

export interface HolderPaths {
  hostDir: string; // DIR/hosts/hN: etc/, var/, run/, tmp/, work/
  binDir: string; // mounted on /usr/local/sbin
  hostname: string;
}

/**
 * The script that becomes a host's anchor process. It runs inside the host's network namespace,
 * in a fresh mount and UTS namespace (from `ip netns exec ... unshare --uts`), makes the host's
 * own /etc and /var (overlays whose upper layers are the host's folders), /run, /root, /tmp and
 * /usr/local/sbin, starts sshd there, then sleeps forever to keep the namespaces alive.
 */
export function holderScript(p: HolderPaths): string {
  const q = shWord;
  const h = p.hostDir;
  return [
    'set -e',
    'mount --make-rprivate /',
    // Every source below lives under the lab folder, which may itself be under /tmp: bind /tmp last.
    `mount -t overlay overlay -o ${q(`lowerdir=/etc,upperdir=${h}/etc,workdir=${h}/work/etc`)} /etc`,
    `mount -t overlay overlay -o ${q(`lowerdir=/var,upperdir=${h}/var,workdir=${h}/work/var`)} /var`,
    `mount --bind ${q(p.binDir)} /usr/local/sbin`,
    `mount --bind ${q(`${h}/run`)} /run`,
    `mount --bind ${q(`${h}/root`)} /root`,
    `mount --bind ${q(`${h}/tmp`)} /tmp`,
    `hostname ${q(p.hostname)}`,
    '/usr/sbin/sshd -E /var/log/sshd.log',
    'echo ready',
    'exec sleep infinity',
    '',
  ].join('\n');
}

export function knownHosts(entries: { address: string; publicKey: string }[]): string {
  // Port 22 entries are plain addresses: OpenSSH writes [addr]:port only for other ports.
  return entries.map((e) => `${e.address} ${e.publicKey.trim().split(/\s+/).slice(0, 2).join(' ')}\n`).join('');
}

export function hostsYaml(hosts: Pick<HostPlan, 'name' | 'address' | 'segment'>[]): string {
  const lines = ['hosts:'];
  for (const h of hosts) lines.push(`  ${h.name}: {address: ${h.address}, port: 22, user: root, uplink: eth0, segment: ${h.segment}}`);
  return lines.join('\n') + '\n';
}

/**
 * xl stand-in launcher written into the lab's bin folder (the compiled xl lives in dist/). `xl list`
 * and `xl list DOMAIN` go to the sh version (lab/host-bin/xl-list, about as quick as the real tool).
 */
export function xlWrapper(node: string, xlMain: string, xlList: string): string {
  return `#!/bin/sh\ncase "$#:\${1-}:\${2-}" in 1:list: | 2:list:[!-]*) shift; exec ${shWord(xlList)} "$@" ;; esac\nexec ${shWord(node)} ${shWord(xlMain)} "$@"\n`;
}
