// `tvd-lab reboot` of a real-Xen host: a real `systemctl reboot` in its Dom0 (Xen restarts the
// machine, QEMU boots it again from the same disk), then the wait until a new boot answers and
// has finished starting its units; the report says how tvd's boot units ended.
import { UserError } from '../../src/errors/user-error.js';
import type { XenLabInfo } from '../lab-info.js';
import type { BootReport } from '../reboot.js';
import { hostRun } from './exec.js';
import { qemuPid } from './qemu-pid.js';
import { waitForDom0 } from './up.js';

const bootId = async (lab: XenLabInfo, h: XenLabInfo['hosts'][number]) => {
  const r = await hostRun(lab, h, ['cat', '/proc/sys/kernel/random/boot_id']);
  return r.code === 0 ? r.stdout.trim() : undefined;
};

export async function xenReboot(lab: XenLabInfo, host: string): Promise<BootReport> {
  const h = lab.hosts.find((x) => x.name === host);
  if (!h) throw new UserError(`lab '${lab.prefix}' has no host '${host}' (hosts: ${lab.hosts.map((x) => x.name).join(', ')})`);
  const before = await bootId(lab, h);
  if (!before) throw new Error(`host ${host} does not answer; it cannot be rebooted`);
  // The session ends with the Dom0, so its exit status says nothing.
  await hostRun(lab, h, ['sh', '-c', 'systemctl reboot']);
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const now = await bootId(lab, h);
    if (now && now !== before) break;
    if (Date.now() > deadline) throw new Error(`host ${host} did not come back from its reboot in 15 minutes`);
    await new Promise((r) => setTimeout(r, 3000));
  }
  await waitForDom0(lab, h);
  // tvd's units, with how their last run ended (ExecMainStatus 0: it succeeded).
  const r = await hostRun(lab, h, [
    'sh',
    '-c',
    'for f in /etc/systemd/system/tvd-*.service; do [ -e "$f" ] || continue; u=${f##*/}; echo "$u $(systemctl show -p ExecMainStatus --value "$u")"; done',
  ]);
  const units = r.stdout
    .split('\n')
    .map((l) => /^(\S+) (\d+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ unit: m[1], code: Number(m[2]) }));
  return { host, pid: qemuPid(h.dir) ?? 0, units, domains: [] };
}
