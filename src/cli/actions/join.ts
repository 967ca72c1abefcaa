// What `tvd join` and `tvd leave` do; their arguments and options are in commands/join.ts.
import { paletteFor } from '../palette.js';
import type { CommonOptions } from '../common-options.js';
import { connectOptionsFrom, hostLockWaitFrom, type SshCliOptions } from '../ssh-options.js';
import { loadOrThrow, preparePlan } from '../../refresh/prepare-plan.js';
import { planText } from '../plan-text/plan-text.js';
import { parseParallelism } from '../option-values.js';
import { runApply } from '../run-apply.js';
import { confirm } from '../confirm.js';
import type { StateLock } from '../../state/backend.js';
import { openStateBackend } from '../state-backend.js';
import { UserError } from '../../errors/user-error.js';
import { buildPlan, summarize } from '../../plan/build-plan.js';
import { proxyHookDigest } from '../../apply/render/proxy.js';
import type { ConnectionPool } from '../../ssh/connection-pool.js';
import { changeActions, prepareChange, type Change } from '../../plan/active-membership.js';

export interface ChangeOptions extends CommonOptions, SshCliOptions {
  file: string;
  ip?: string;
  mac?: string;
  autoApprove?: boolean;
  parallelism: string;
}

export async function run(kind: Change['kind'], vm: string, tvd: string, o: ChangeOptions): Promise<void> {
  if (o.mac !== undefined && !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(o.mac))
    throw new UserError(`--mac ${o.mac}: expected six hex pairs, e.g. 00:16:3e:00:01:10`);
  if (o.ip !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(o.ip)) throw new UserError(`--ip ${o.ip}: expected an IPv4 address`);
  const c: Change =
    kind === 'join' ? { kind, vm, tvd, ...(o.ip ? { ip: o.ip } : {}), ...(o.mac ? { mac: o.mac.toLowerCase() } : {}) } : { kind, vm, tvd };
  process.exitCode = await runChange(c, o);
}

async function runChange(c: Change, o: ChangeOptions): Promise<number> {
  const pal = paletteFor(o);
  const parallelism = parseParallelism(o.parallelism);
  if (!o.autoApprove && !process.stdin.isTTY)
    throw new UserError(`tvd ${c.kind} is not at a terminal, so it cannot ask: pass --auto-approve`);
  const hostLockWait = hostLockWaitFrom(o);
  const loaded = loadOrThrow(o.file);
  const backend = await openStateBackend(o, loaded.topology.backend);
  let lock: StateLock | undefined;
  let pool: ConnectionPool | undefined;
  try {
    lock = await backend.lock(c.kind);
    const state = await backend.read();
    const p = await preparePlan(o.file, { loaded, refresh: true, parallelism, hostLockWait, connect: connectOptionsFrom(o) }, state);
    pool = p.pool;
    const what = c.kind === 'join' ? `${c.vm} cannot join ${c.tvd}` : `${c.vm} cannot leave ${c.tvd}`;
    const prep = prepareChange(p.topology, state, p.capabilities, c);
    if (!prep.ok) throw new UserError(`${what}: ${prep.reason}. Nothing was changed.`);
    const common = { topologyDigest: p.digest, capabilities: p.capabilities, state, hookDigest: proxyHookDigest() };
    const base = buildPlan({ ...common, topology: prep.base });
    const next = buildPlan({ ...common, topology: prep.next });
    const errors = [...base.plan.errors, ...next.plan.errors];
    if (errors.length)
      throw new UserError(`${what}:\n${[...new Set(errors.map((e) => `  ${e.message}`))].join('\n')}\nNothing was changed.`);
    const actions = changeActions(base.desired.resources, next.desired.resources, state);
    const plan = { ...next.plan, actions, summary: summarize(actions), warnings: [], warningCodes: [] };
    if (!o.quiet) process.stdout.write(planText(plan, pal));
    if (actions.length === 0) return 0;
    if (!o.autoApprove && !(await confirm(`\nDo you want ${c.vm} to ${c.kind} ${c.tvd}?`))) {
      process.stdout.write('\nCancelled.\n');
      return 1;
    }
    const pool2 = pool;
    const code = await runApply({
      plan,
      allocations: next.desired.allocations,
      state,
      backend,
      lock,
      connect: (h) => pool2.connect(h),
      abort: () => void pool2.closeAll(),
      hostLockWait,
      parallelism,
      palette: pal,
      quiet: o.quiet,
      verb: 'Apply',
    });
    if (code === 0 && !o.quiet) {
      process.stdout.write(
        `\n${c.vm} ${c.kind === 'join' ? 'joined' : 'left'} ${c.tvd}. This is a one-off: ${o.file} does not say so, so \`tvd plan\` shows it as a difference and the next apply undoes it. To keep it, ${c.kind === 'join' ? `add the NIC to vms.${c.vm}.nics` : `remove ${c.tvd} from vms.${c.vm}.nics`} in the file.\n`,
      );
    }
    return code;
  } finally {
    await pool?.closeAll();
    await lock?.release();
    await backend.close();
  }
}
