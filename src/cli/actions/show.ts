// What `tvd show` does; its options are in commands/show.ts.
import { paletteFor } from '../palette.js';
import type { CommonOptions } from '../common-options.js';
import { openStateBackend } from '../state-backend.js';
import { addressKey, compareAddresses } from '../../address/address.js';
import { UserError } from '../../errors/user-error.js';
import { readSavedPlan } from '../saved-plan.js';
import { planText } from '../plan-text/plan-text.js';
import { planTextOptions, type PlanTextCliOptions } from '../plan-text-options.js';

export interface ShowOptions extends CommonOptions, PlanTextCliOptions {
  json?: boolean;
}

export async function run(planPath: string | undefined, o: ShowOptions): Promise<void> {
  if (planPath !== undefined) return showPlan(planPath, o);
  const backend = await openStateBackend(o);
  let state;
  try {
    state = await backend.read();
  } finally {
    await backend.close();
  }
  if (o.json) {
    process.stdout.write(JSON.stringify(state, null, 2) + '\n');
    return;
  }
  const c = paletteFor(o);
  if (state.resources.length === 0) {
    process.stdout.write('The state is empty: tvd has put nothing on any host.\n');
    return;
  }
  process.stdout.write(c.dim(`serial ${state.serial}, lineage ${state.lineage}, in ${backend.name}`) + '\n');
  // The state lists resources in the order applies recorded them, hosts interleaved: group them.
  const resources = [...state.resources].sort(compareAddresses);
  let host = '';
  for (const r of resources) {
    if (r.host !== host) process.stdout.write(`\n${c.bold(`# host ${(host = r.host)}`)}\n`);
    process.stdout.write(`  ${addressKey(r)}${r.status === 'tainted' ? c.red(' (tainted: the next apply replaces it)') : ''}\n`);
  }
}

/** A saved plan, as `tvd plan` printed it. */
function showPlan(path: string, o: ShowOptions): void {
  const plan = readSavedPlan(path);
  if (!plan) throw new UserError(`${path}: not a saved plan (make one with \`tvd plan FILE --out ${path}\`)`);
  if (o.json) {
    process.stdout.write(JSON.stringify(plan, null, 2) + '\n');
    return;
  }
  const c = paletteFor(o);
  process.stdout.write(c.dim(`Saved plan ${path}, made against state serial ${plan.stateSerial}:`) + '\n\n');
  process.stdout.write(planText(plan, c, planTextOptions(o)));
}
