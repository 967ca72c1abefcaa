// What `tvd show` does; its options are in commands/show.ts.
import { paletteFor } from '../palette.js';
import type { CommonOptions } from '../common-options.js';
import { openStateBackend } from '../state-backend.js';

export interface ShowOptions extends CommonOptions {
  json?: boolean;
}

export async function run(o: ShowOptions): Promise<void> {
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
  let host = '';
  for (const r of state.resources) {
    if (r.host !== host) process.stdout.write(`\n${c.bold(`# host ${(host = r.host)}`)}\n`);
    process.stdout.write(`  ${r.host}/${r.type}/${r.name}${r.status === 'tainted' ? c.red(' (tainted: the next apply replaces it)') : ''}\n`);
  }
}
