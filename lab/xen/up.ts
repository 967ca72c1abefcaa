// `tvd-lab up --kind xen`: real Xen hosts, each a QEMU (TCG) running Xen 4.17 and a Debian
// Dom0 from the cached image, joined by the fabric daemon on 127.0.0.1, reached by SSH through
// QEMU's forward on 127.0.0.1. Writes the same lab.json, known_hosts and hosts.yaml as the
// namespace kind, so tvd and the tests treat both alike.
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../src/errors/user-error.js';
import { cleanupIfInterrupted } from '../interrupt.js';
import type { XenLabHost, XenLabInfo } from '../lab-info.js';
import { requireRoot } from '../namespaces.js';
import { mustRun, run } from '../process.js';
import { allocateSlot, claimPrefix, readRecord, writeRecord, type LabRecord } from '../registry.js';
import { PREFIX_PATTERN } from '../address-plan.js';
import type { FabricDaemonConfig } from './fabric-main.js';
import { fabricNetwork, qemuArgv, xenHostsYaml, xenKnownHostsLine } from './host-files.js';
import { ensureImage, GUEST, type XenImage } from './image.js';
import { hostRun } from './exec.js';
import { checkXenLabShape, planXenLab, type XenHostPlan, type XenLabPlan } from './xen-plan.js';
import { xenLabDown } from './down.js';
import { qemuPid } from './qemu-pid.js';

const FABRIC_MAIN = fileURLToPath(new URL('./fabric-main.js', import.meta.url));
/** QEMU start to a Dom0 whose xl answers: about 70 s alone, 2-3 minutes for three on two cores. */
const BOOT_TIMEOUT_MS = 15 * 60_000;
/** What the lab's guests get (fitTopology): enough for busybox, small enough for several a host. */
const GUEST_MEMORY_MIB = 128;

export interface XenUpOptions {
  hosts: number;
  prefix?: string;
  segments?: number;
  out: string;
  log?: (line: string) => void;
}

export async function xenLabUp(opts: XenUpOptions): Promise<XenLabInfo> {
  requireRoot();
  const prefix = opts.prefix ?? 'lab';
  const segments = opts.segments ?? 1;
  const log = opts.log ?? (() => undefined);
  if (!PREFIX_PATTERN.test(prefix)) throw new UserError(`prefix '${prefix}' must match ${PREFIX_PATTERN.source}`);
  const problem = checkXenLabShape(opts.hosts, segments);
  if (problem) throw new UserError(problem);
  if (segments > opts.hosts) throw new UserError(`--segments ${segments} needs at least as many hosts (got ${opts.hosts})`);
  const dir = resolve(opts.out);
  const dirExists = existsSync(dir);
  if (dirExists && readdirSync(dir).length > 0) throw new UserError(`--out ${dir} is not empty: give a new or empty folder`);
  for (const tool of ['qemu-system-x86_64', 'qemu-img', 'debootstrap', 'ssh', 'flock']) {
    if ((await run(['sh', '-c', `command -v ${tool}`])).code !== 0)
      throw new UserError(`--kind xen needs ${tool}: run sh scripts/install-deps.sh --xen`);
  }

  let claimed = false;
  const down = async () => {
    if (claimed) await xenLabDown(prefix);
  };
  return await cleanupIfInterrupted(down, async () => {
    if (!claimPrefix(prefix))
      throw new UserError(`a lab with prefix '${prefix}' is already up: run 'tvd-lab down --prefix ${prefix}' first`);
    claimed = true;
    let record: LabRecord = { prefix, slot: -1, dir, createdDir: !dirExists, kind: 'xen' };
    writeRecord(record);
    try {
      record = { ...record, slot: allocateSlot(prefix) };
      writeRecord(record);
      const image = await ensureImage(log);
      const info = await build(planXenLab(prefix, record.slot, opts.hosts, segments), dir, image, log);
      writeRecord({ ...record, info });
      return info;
    } catch (err) {
      if (readRecord(prefix)) await xenLabDown(prefix).catch(() => undefined);
      throw err;
    }
  });
}

async function build(plan: XenLabPlan, dir: string, image: XenImage, log: (line: string) => void): Promise<XenLabInfo> {
  mkdirSync(dir, { recursive: true });
  const identity = join(dir, 'id_ed25519');
  await mustRun(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', `tvd-lab-${plan.prefix}`, '-f', identity]);
  const clientKey = readFileSync(identity + '.pub', 'utf8');
  const knownHostsFile = join(dir, 'known_hosts');
  const hosts: XenLabHost[] = [];
  let known = '';
  for (const h of plan.hosts) {
    const hostDir = join(dir, 'hosts', h.name);
    const publicKey = await writeSeed(hostDir, h, plan, clientKey);
    await mustRun(['qemu-img', 'create', '-q', '-f', 'qcow2', '-b', image.disk, '-F', 'raw', join(hostDir, 'disk.qcow2')]);
    known += xenKnownHostsLine(h.sshPort, publicKey);
    hosts.push({
      name: h.name,
      address: '127.0.0.1',
      port: h.sshPort,
      user: 'root',
      segment: h.segment,
      fabricAddress: h.address,
      dir: hostDir,
    });
  }
  writeFileSync(knownHostsFile, known);
  const info: XenLabInfo = {
    kind: 'xen',
    prefix: plan.prefix,
    identity,
    knownHosts: knownHostsFile,
    hostsYaml: join(dir, 'hosts.yaml'),
    dir,
    block: plan.block,
    segments: plan.segments.map((s) => ({ name: s.name, subnet: s.subnet, gateway: s.gateway })),
    hosts,
    image: image.dir,
    guest: { type: 'pv', kernel: GUEST.kernel, ramdisk: GUEST.ramdisk, memory: GUEST_MEMORY_MIB },
  };

  await startFabric(plan, dir);
  log(`starting ${plan.hosts.length} Xen host(s) under QEMU (TCG); a boot takes one to three minutes`);
  for (const h of plan.hosts) await startQemu(plan, h, image, join(dir, 'hosts', h.name));
  await Promise.all(hosts.map((h) => waitForDom0(info, h)));
  writeFileSync(info.hostsYaml, xenHostsYaml(plan.hosts));
  writeFileSync(join(dir, 'lab.json'), JSON.stringify(info, null, 2) + '\n');
  return info;
}

/** The tar tvdlab-seed unpacks on every boot: host key, root's authorized key, hostname, eth0. */
async function writeSeed(hostDir: string, h: XenHostPlan, plan: XenLabPlan, clientKey: string): Promise<string> {
  const stage = join(hostDir, 'seed');
  for (const d of ['etc/ssh', 'root/.ssh', 'etc/systemd/network']) mkdirSync(join(stage, d), { recursive: true });
  const key = join(stage, 'etc/ssh/ssh_host_ed25519_key');
  await mustRun(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', h.name, '-f', key]);
  writeFileSync(join(stage, 'root/.ssh/authorized_keys'), clientKey, { mode: 0o600 });
  writeFileSync(join(stage, 'etc/hostname'), `${h.name}\n`);
  writeFileSync(join(stage, 'etc/systemd/network/20-fabric.network'), fabricNetwork(h, plan.block));
  chmodSync(key, 0o600);
  // Files only: a folder in the tar would reset the mode of the Dom0's own /etc or /root.
  const files = [
    'etc/hostname',
    'etc/ssh/ssh_host_ed25519_key',
    'etc/ssh/ssh_host_ed25519_key.pub',
    'root/.ssh/authorized_keys',
    'etc/systemd/network/20-fabric.network',
  ];
  await mustRun(['tar', '-c', '--owner=0', '--group=0', '--numeric-owner', '-f', join(hostDir, 'seed.tar'), '-C', stage, ...files]);
  return readFileSync(key + '.pub', 'utf8');
}

async function startFabric(plan: XenLabPlan, dir: string): Promise<void> {
  const config: FabricDaemonConfig = {
    listen: plan.hubPort,
    segments: plan.segments,
    ports: plan.hosts.map((h, i) => ({ id: i + 1, segment: h.segment })),
    peers: plan.hosts.map((h, i) => ({ id: i + 1, udp: h.fabricUdp })),
  };
  const configFile = join(dir, 'fabric.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2) + '\n');
  const logFd = openSync(join(dir, 'fabric.log'), 'a');
  const child = spawn(process.execPath, [FABRIC_MAIN, configFile], { detached: true, stdio: ['ignore', 'pipe', logFd], cwd: '/' });
  closeSync(logFd);
  child.unref();
  await new Promise<void>((ready, fail) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      if (d.includes('ready')) {
        child.stdout!.destroy();
        ready();
      }
    });
    child.on('exit', (code) => fail(new Error(`the lab's fabric daemon exited ${code}: see ${join(dir, 'fabric.log')}`)));
  });
  writeFileSync(join(dir, 'fabric.pid'), `${child.pid}\n`);
}

async function startQemu(plan: XenLabPlan, h: XenHostPlan, image: XenImage, hostDir: string): Promise<void> {
  const argv = qemuArgv(plan, h, image, {
    overlay: join(hostDir, 'disk.qcow2'),
    seed: join(hostDir, 'seed.tar'),
    serialLog: join(hostDir, 'serial.log'),
    monitor: join(hostDir, 'monitor.sock'),
    pidFile: join(hostDir, 'qemu.pid'),
  });
  writeFileSync(join(hostDir, 'qemu.argv'), JSON.stringify(argv) + '\n');
  const r = await run(argv);
  if (r.code !== 0) throw new Error(`QEMU for host ${h.name} did not start (exit ${r.code}): ${r.stderr.trim()}`);
}

/** Until the Dom0's sshd answers with the seed's host key and its Xen toolstack lists domains. */
export async function waitForDom0(lab: XenLabInfo, h: XenLabHost): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    // Boot finished (degraded counts: a lab Dom0 has no use for every unit), then xl answers.
    const r = await hostRun(lab, h, ['sh', '-c', 'timeout 300 systemctl is-system-running --wait >/dev/null 2>&1; xl list >/dev/null']);
    if (r.code === 0) return;
    last = (r.stderr || r.stdout).trim();
    if (!qemuAlive(h)) throw new Error(`host ${h.name}: QEMU exited while booting; see ${join(h.dir, 'serial.log')}`);
    await new Promise((r) => setTimeout(r, 3000));
  }
  throw new Error(
    `host ${h.name} did not come up in ${BOOT_TIMEOUT_MS / 60000} minutes (${last || 'no answer'}); see ${join(h.dir, 'serial.log')}`,
  );
}

function qemuAlive(h: XenLabHost): boolean {
  const pid = qemuPid(h.dir);
  return pid !== undefined && existsSync(`/proc/${pid}`);
}
