// `tvd-lab reboot`: a host loses everything a reboot loses (processes, VMs, links, bridges,
// tunnels, namespaces, /run, /tmp) and keeps its disk (/etc, /var). Then it boots: sshd, every
// unit enabled under its /etc/systemd/system (as its multi-user.target would), and, like Xen's
// xendomains service, `xl create` of each config in /etc/xen/auto.
import { readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../src/errors/user-error.js';
import { planLab } from './address-plan.js';
import { killProcessesIn } from './down.js';
import { labExec, findAnyLab } from './exec.js';
import { isXenLab } from './lab-info.js';
import { xenReboot } from './xen/reboot.js';
import { requireRoot } from './namespaces.js';
import { mustRun, run } from './process.js';
import { readRecord, writeRecord } from './registry.js';
import { configureUplink, corePortCommands, freshRunAndTmp, startHost } from './up.js';
import { waitForSsh } from './wait-for-ssh.js';

export interface BootReport {
  host: string;
  pid: number;
  units: { unit: string; code: number }[];
  domains: { config: string; code: number }[];
}

/** Boot units are the ones tvd (or a test) installed: those in the host's own upper layer. */
function enabledUnits(root: string): string[] {
  const dir = join(root, 'etc/systemd/system');
  const units = new Set<string>();
  let wants: string[] = [];
  try {
    wants = readdirSync(dir).filter((d) => d.endsWith('.wants'));
  } catch {
    return [];
  }
  for (const w of wants) for (const u of readdirSync(join(dir, w))) units.add(u);
  return [...units].sort();
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => !f.startsWith('.'))
      .sort();
  } catch {
    return [];
  }
}

export async function labReboot(prefix: string, hostName: string): Promise<BootReport> {
  requireRoot();
  const record = readRecord(prefix);
  const any = findAnyLab(prefix);
  if (isXenLab(any)) return xenReboot(any, hostName);
  const info = any;
  if (!record) throw new UserError(`no lab with prefix '${prefix}' is up`);
  const index = info.hosts.findIndex((h) => h.name === hostName);
  if (index < 0) throw new UserError(`lab '${prefix}' has no host '${hostName}'`);
  const host = info.hosts[index];
  const plan = planLab(prefix, record.slot, info.hosts.length, info.segments.length);
  const hp = plan.hosts[index];

  // Power off: every process, then the cable (deleting the core's end removes eth0 at once), the namespace.
  await killProcessesIn([host.netns]);
  await run(['ip', '-n', plan.coreNetns, 'link', 'del', hp.corePort]);
  await mustRun(['ip', 'netns', 'del', host.netns]);
  freshRunAndTmp(host.root);

  // Power on.
  await mustRun(['ip', 'netns', 'add', host.netns]);
  await mustRun(['ip', '-n', plan.coreNetns, '-batch', '-'], { input: corePortCommands(hp).join('\n') + '\n' });
  await configureUplink(hp);
  const pid = await startHost(hp, host.root, join(info.dir, 'bin'));
  await waitForSsh(host);
  info.hosts[index] = { ...host, pid };
  writeRecord({ ...record, info });
  writeFileSync(join(info.dir, 'lab.json'), JSON.stringify(info, null, 2) + '\n');

  const log = join(host.root, 'var/log/boot.log');
  const report: BootReport = { host: host.name, pid, units: [], domains: [] };
  for (const unit of enabledUnits(host.root)) {
    const r = await labExec(prefix, { host: host.name }, ['systemctl', 'start', unit]);
    appendFileSync(log, `systemctl start ${unit}: exit ${r.code}\n${r.stdout}${r.stderr}`);
    report.units.push({ unit, code: r.code });
  }
  for (const cfg of list(join(host.root, 'etc/xen/auto'))) {
    const r = await labExec(prefix, { host: host.name }, ['xl', 'create', '-q', `/etc/xen/auto/${cfg}`]);
    appendFileSync(log, `xl create /etc/xen/auto/${cfg}: exit ${r.code}\n${r.stdout}${r.stderr}`);
    report.domains.push({ config: cfg, code: r.code });
  }
  return report;
}
