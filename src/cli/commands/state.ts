// `tvd state migrate`: move the state between backends (the local file, PostgreSQL), with its
// serial and lineage, as Terraform's `init -migrate-state` does.
import type { Command } from 'commander';
import type { ListOptions, MigrateOptions, RmOptions } from '../actions/state.js';
import { addCommonOptions } from '../common-options.js';
import { DEFAULT_STATE_PATH } from '../../state/store.js';

export function registerState(program: Command): void {
  const state = program
    .command('state')
    .description('work on the state itself: list its records, forget some, move it from one backend to another')
    .addHelpText(
      'after',
      '\nExamples:\n  $ tvd state list\n  $ tvd state rm h3            # forget all on h3, a host gone for good (h3 is not touched)\n  $ tvd state migrate --to postgres://tvd@db.internal/tvd\n',
    );
  addCommonOptions(
    state
      .command('list')
      .description('the addresses the state records, one a line; only those under each PREFIX given (h1, h1/vm, h1/vm/web)')
      .argument('[prefix...]', 'a host, a host and a type, or an address')
      .addHelpText('after', '\nExamples:\n  $ tvd state list\n  $ tvd state list h1/vm --backend postgres://tvd@db.internal/tvd\n'),
  ).action(async (prefixes: string[], o: ListOptions) => (await import('../actions/state.js')).list(prefixes, o));
  addCommonOptions(
    state
      .command('rm')
      .description(
        'forget records: remove them from the state (under its lock, at the next serial, after a backup of it), and touch no host',
      )
      .argument('<address...>', 'an address (h1/vm/web), a type on a host (h1/vm) or a whole host (h1); each must name something recorded')
      .option(
        '--backup <path>',
        'where the state it replaces is kept (default: <state>.backup; with PostgreSQL tvd-state.<workspace>.backup.json)',
      )
      .addHelpText(
        'after',
        '\nExamples:\n  $ tvd state rm h1/vm/web\n  $ tvd state rm h3            # a host gone for good: then remove it from the topology\n\nThe hosts are not touched: what tvd made there stays. A host that still holds tvd\'s records\n(its manifest) gives them back to the next refresh, which names them "adopted from host".\n',
      ),
  ).action(async (addresses: string[], o: RmOptions) => (await import('../actions/state.js')).rm(addresses, o));
  state
    .command('migrate')
    .description('copy the state to another backend with its serial and lineage; refused when the target holds another state')
    .option('--from <url|path>', 'where the state is now: a state file or a postgres:// URL', DEFAULT_STATE_PATH)
    .requiredOption(
      '--to <url|path>',
      'where it goes: a postgres:// URL (best without its password: PGPASSWORD, ~/.pgpass) or a state file',
    )
    .option('--workspace <name>', 'the workspace on the PostgreSQL side(s) (also TVD_WORKSPACE; default: default)')
    .addHelpText(
      'after',
      "\nExamples:\n  $ PGPASSWORD=... tvd state migrate --to postgres://tvd@db.internal/tvd\n  $ tvd state migrate --from postgres://tvd@db.internal/tvd --to backup.json --workspace production\n\nBoth backends are locked while the state moves. The source is left as it was: once the\nteam uses the new backend (the topology's backend block, --backend or PG_CONN_STR), remove it.\n",
    )
    .action(async (o: MigrateOptions) => (await import('../actions/state.js')).migrate(o));
}
