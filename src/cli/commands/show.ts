// `tvd show [--json]`: the recorded state.
import type { Command } from 'commander';
import { addCommonOptions, paletteFor, type CommonOptions } from '../common-options.js';
import { readState } from '../../state/store.js';

export function registerShow(program: Command): void {
  const cmd = program
    .command('show')
    .description('print the recorded state: what tvd put on each host')
    .option('--json', 'print the state as JSON')
    .addHelpText('after', '\nExamples:\n  $ tvd show\n  $ tvd show --json --state ci/.tvd/state.json\n');
  addCommonOptions(cmd);
  cmd.action(async (o: CommonOptions & { json?: boolean }) => {
    const state = await readState(o.state);
    if (o.json) {
      process.stdout.write(JSON.stringify(state, null, 2) + '\n');
      return;
    }
    const c = paletteFor(o);
    if (state.resources.length === 0) {
      process.stdout.write('The state is empty: tvd has put nothing on any host.\n');
      return;
    }
    process.stdout.write(c.dim(`serial ${state.serial}, lineage ${state.lineage}`) + '\n');
    let host = '';
    for (const r of state.resources) {
      if (r.host !== host) process.stdout.write(`\n${c.bold(`# host ${(host = r.host)}`)}\n`);
      process.stdout.write(`  ${r.host}/${r.type}/${r.name}${r.status === 'tainted' ? c.red(' (tainted: the next apply replaces it)') : ''}\n`);
    }
  });
}
