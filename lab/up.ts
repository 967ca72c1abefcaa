// `tvd-lab up`: builds the lab's namespaces, links, host folders and sshds, then writes lab.json.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  copyFileSync,
  chmodSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../src/errors/user-error.js';
import { checkLabShape, planLab, type HostPlan, type LabPlan } from './address-plan.js';
import { holderScript, hostsYaml, knownHosts, sshdConfig, xlWrapper } from './host-files.js';
import type { LabHost, LabInfo } from './lab-info.js';
import { labDown } from './down.js';
import { cleanupIfInterrupted } from './interrupt.js';
import { listLabNetns, requireRoot } from './namespaces.js';
import { allSettled, mapBounded } from '../src/ssh/bounded-parallel.js';
import { mustRun } from './process.js';
import { waitForSsh } from './wait-for-ssh.js';
import { allocateSlot, claimPrefix, readRecord, removeRecord, writeRecord, type LabRecord } from './registry.js';

export interface UpOptions {
  hosts: number;
  prefix?: string;
  segments?: number;
  out: string;
}

export const DEFAULT_PREFIX = 'lab';
/** lab/host-bin in the project: the xenstore and vif-bridge stand-ins (POSIX sh). */
const HOST_BIN = fileURLToPath(new URL('../../lab/host-bin/', import.meta.url));
const XL_DIR = fileURLToPath(new URL('./xl/', import.meta.url));
/** Where binDir appears inside a host. */
const HOST_SBIN = '/usr/local/sbin';
const HOST_TOOLS = ['systemctl', 'xenstore-read', 'xenstore-write', 'xenstore-exists', 'xenstore-rm', 'xenstore-list', 'xenstore-ls'];

export async function labUp(opts: UpOptions): Promise<LabInfo> {
  requireRoot();
  const prefix = opts.prefix ?? DEFAULT_PREFIX;
  const segments = opts.segments ?? 1;
  const problem = checkLabShape(prefix, opts.hosts, segments);
  if (problem) throw new UserError(problem);
  const dir = resolve(opts.out);
  if (['/etc', '/var', '/usr'].some((p) => dir === p || dir.startsWith(p + '/')) || dir === '/') {
    throw new UserError(`--out ${dir}: the lab folder backs the hosts' /etc and /var overlays, so it cannot lie under /etc, /var or /usr`);
  }
  const dirExists = existsSync(dir);
  if (dirExists && readdirSync(dir).length > 0) throw new UserError(`--out ${dir} is not empty: give a new or empty folder`);

  // Ctrl-C or a kill while the lab comes up: once the prefix is this call's (its registry
  // record), what exists of the lab is taken down, after the build in flight has stopped. The
  // cleanup stands by before the claim: a signal just after it would otherwise end the process
  // with the record made and nothing to remove it.
  let claimed = false;
  const down = async () => {
    if (claimed) await labDown(prefix);
  };
  return await cleanupIfInterrupted(down, async () => {
    if (!claimPrefix(prefix))
      throw new UserError(`a lab with prefix '${prefix}' is already up: run 'tvd-lab down --prefix ${prefix}' first`);
    claimed = true;
    const strays = await listLabNetns(prefix);
    if (strays.length > 0) {
      removeRecord(prefix);
      claimed = false;
      throw new UserError(
        `namespaces of an earlier lab '${prefix}' remain (${strays.join(', ')}): run 'tvd-lab down --prefix ${prefix}' first`,
      );
    }
    let record: LabRecord = { prefix, slot: -1, dir, createdDir: !dirExists };
    writeRecord(record);
    try {
      record = { ...record, slot: allocateSlot(prefix) };
      writeRecord(record);
      const plan = planLab(prefix, record.slot, opts.hosts, segments);
      const info = await build(plan, dir);
      writeRecord({ ...record, info });
      return info;
    } catch (err) {
      // Nothing of a failed lab survives: down removes whatever part of it exists.
      if (readRecord(prefix)) await labDown(prefix).catch(() => undefined);
      throw err;
    }
  });
}

async function build(plan: LabPlan, dir: string): Promise<LabInfo> {
  mkdirSync(dir, { recursive: true });
  const identity = join(dir, 'id_ed25519');
  const binDir = join(dir, 'bin');
  const [clientKey] = await allSettled([keygen(identity, `tvd-lab-${plan.prefix}`), writeBin(binDir), createNetwork(plan)]);

  const started = await mapBounded(plan.hosts, 8, async (h) => {
    const root = join(dir, 'hosts', h.name);
    const hostKey = await prepareHostDir(root, h, clientKey);
    const pid = await startHost(h, root, binDir);
    const host: LabHost = { name: h.name, address: h.address, port: 22, user: 'root', segment: h.segment, netns: h.netns, pid, root };
    return { host, hostKey };
  });
  const hosts = started.map((s) => s.host);
  await allSettled(hosts.map((h) => waitForSsh(h)));

  const knownHostsFile = join(dir, 'known_hosts');
  const hostsYamlFile = join(dir, 'hosts.yaml');
  writeFileSync(knownHostsFile, knownHosts(started.map((s) => ({ address: s.host.address, publicKey: s.hostKey }))));
  writeFileSync(hostsYamlFile, hostsYaml(plan.hosts));
  const info: LabInfo = {
    prefix: plan.prefix,
    identity,
    knownHosts: knownHostsFile,
    hostsYaml: hostsYamlFile,
    dir,
    block: plan.block,
    management: { link: plan.management.rootLink, address: plan.management.rootAddress, gateway: plan.management.coreAddress },
    segments: plan.segments.map((s) => ({ name: s.name, subnet: s.subnet, gateway: s.gateway })),
    hosts,
  };
  writeFileSync(join(dir, 'lab.json'), JSON.stringify(info, null, 2) + '\n');
  return info;
}

async function keygen(file: string, comment: string): Promise<string> {
  await mustRun(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return readFileSync(file + '.pub', 'utf8');
}

/**
 * The host's /usr/local/sbin. Everything is copied in, nothing points back into the project: a
 * host has its own /tmp, so a project checked out under /tmp (as CI may) is invisible inside.
 */
async function writeBin(binDir: string): Promise<void> {
  const lib = join(binDir, 'xl-lib');
  mkdirSync(lib, { recursive: true });
  for (const f of readdirSync(XL_DIR).filter((f) => f.endsWith('.js'))) copyFileSync(join(XL_DIR, f), join(lib, f));
  writeFileSync(join(lib, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(binDir, 'xl'), xlWrapper(process.execPath, `${HOST_SBIN}/xl-lib/main.js`, `${HOST_SBIN}/xl-list`), { mode: 0o755 });
  for (const tool of ['xenstore', 'systemctl', 'xl-list']) {
    copyFileSync(join(HOST_BIN, tool), join(binDir, tool));
    chmodSync(join(binDir, tool), 0o755);
  }
  for (const tool of HOST_TOOLS.filter((t) => t.startsWith('xenstore-'))) symlinkSync('xenstore', join(binDir, tool));
}

/** Namespaces, the management leg, the core router with one bridge per segment, each host's eth0. */
async function createNetwork(plan: LabPlan): Promise<void> {
  const m = plan.management;
  await mustRun(['ip', '-batch', '-'], {
    input: [plan.coreNetns, ...plan.hosts.map((h) => h.netns)].map((n) => `netns add ${n}\n`).join(''),
  });
  await mustRun(['ip', '-batch', '-'], {
    input:
      [
        `link add ${m.rootLink} type veth peer name ${m.coreLink} netns ${plan.coreNetns}`,
        `addr add ${m.rootAddress}/${m.prefixLength} dev ${m.rootLink}`,
        `link set ${m.rootLink} up`,
        `route add ${plan.block} via ${m.coreAddress} dev ${m.rootLink}`,
      ].join('\n') + '\n',
  });
  const core: string[] = ['link set lo up', `addr add ${m.coreAddress}/${m.prefixLength} dev ${m.coreLink}`, `link set ${m.coreLink} up`];
  for (const s of plan.segments) {
    core.push(
      `link add ${s.bridge} type bridge stp_state 0 forward_delay 0`,
      `addr add ${s.gateway}/24 dev ${s.bridge}`,
      `link set ${s.bridge} up`,
    );
  }
  for (const h of plan.hosts) core.push(...corePortCommands(h));
  await mustRun(['ip', '-n', plan.coreNetns, '-batch', '-'], { input: core.join('\n') + '\n' });
  await mustRun(['ip', 'netns', 'exec', plan.coreNetns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  await mapBounded(plan.hosts, 8, (h) => configureUplink(h));
}

/** The host's cable: a veth from its segment's bridge in the core to its eth0. */
export function corePortCommands(h: HostPlan): string[] {
  return [
    `link add ${h.corePort} type veth peer name eth0 address ${h.mac} netns ${h.netns}`,
    `link set ${h.corePort} master ${h.segment} up`,
  ];
}

export async function configureUplink(h: HostPlan): Promise<void> {
  await mustRun(['ip', '-n', h.netns, '-batch', '-'], {
    input:
      ['link set lo up', `addr add ${h.address}/${h.prefixLength} dev eth0`, 'link set eth0 up', `route add default via ${h.gateway}`].join(
        '\n',
      ) + '\n',
  });
}

/** The host's disk: upper layers of its /etc and /var, its /run and /tmp. Returns the host's public key. */
async function prepareHostDir(root: string, h: HostPlan, clientKey: string): Promise<string> {
  for (const d of [
    'etc/ssh',
    'etc/xen/scripts',
    'etc/xen/tvd',
    'etc/xen/auto',
    'etc/systemd/system',
    'var/lib/tvd',
    'var/log',
    'work/etc',
    'work/var',
  ]) {
    mkdirSync(join(root, d), { recursive: true });
  }
  // root's own home: the machine's ~/.bashrc (pyenv and the like) must not run in every SSH exec.
  mkdirSync(join(root, 'root'), { recursive: true, mode: 0o700 });
  freshRunAndTmp(root);
  const key = join(root, 'etc/ssh/ssh_host_ed25519_key');
  const pub = await keygen(key, h.name);
  writeFileSync(join(root, 'etc/ssh/sshd_config'), sshdConfig(h.address));
  writeFileSync(join(root, 'etc/ssh/authorized_keys'), clientKey, { mode: 0o600 });
  writeFileSync(join(root, 'etc/hostname'), `${h.name}\n`);
  copyFileSync(join(HOST_BIN, 'vif-bridge'), join(root, 'etc/xen/scripts/vif-bridge'));
  chmodSync(join(root, 'etc/xen/scripts/vif-bridge'), 0o755);
  return pub;
}

/** An empty /run (with sshd's privilege separation folder) and /tmp, as after a boot. */
export function freshRunAndTmp(root: string): void {
  rmSync(join(root, 'run'), { recursive: true, force: true });
  rmSync(join(root, 'tmp'), { recursive: true, force: true });
  mkdirSync(join(root, 'run/sshd'), { recursive: true, mode: 0o755 });
  mkdirSync(join(root, 'tmp'), { recursive: true });
  chmodSync(join(root, 'run/sshd'), 0o755);
  chmodSync(join(root, 'tmp'), 0o1777);
}

/** Starts the host's anchor process (mounts + sshd + sleep) and waits until it says ready. */
export function startHost(h: HostPlan, root: string, binDir: string): Promise<number> {
  const logFile = join(root, 'anchor.log');
  const fd = openSync(logFile, 'a');
  const script = holderScript({ hostDir: root, binDir, hostname: h.name });
  const child = spawn('ip', ['netns', 'exec', h.netns, 'unshare', '--uts', '--', '/bin/sh', '-c', script], {
    detached: true,
    stdio: ['ignore', 'pipe', fd],
    cwd: '/',
  });
  closeSync(fd);
  child.unref();
  return new Promise((resolvePid, reject) => {
    let out = '';
    const fail = (why: string) => reject(new Error(`host ${h.name} did not start: ${why}: ${safeRead(logFile).trim()}`));
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('ready')) {
        child.stdout!.destroy();
        resolvePid(child.pid!);
      }
    });
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code) => fail(`exit ${code}`));
  });
}

function safeRead(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}
