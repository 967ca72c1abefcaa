// `tvd state migrate`: move the state between backends (the local file, PostgreSQL), with its
// serial and lineage, as Terraform's `init -migrate-state` does.
import type { Command } from 'commander';
import type { MigrateOptions } from '../actions/state.js';
import { DEFAULT_STATE_PATH } from '../../state/store.js';

export function registerState(program: Command): void {
  const state = program
    .command('state')
    .description('work on the state itself: move it from one backend to another')
    .addHelpText('after', '\nExamples:\n  $ tvd state migrate --to postgres://tvd@db.internal/tvd\n');
  state
    .command('migrate')
    .description('copy the state to another backend with its serial and lineage; refused when the target holds another state')
    .option('--from <url|path>', 'where the state is now: a state file or a postgres:// URL', DEFAULT_STATE_PATH)
    .requiredOption('--to <url|path>', 'where it goes: a postgres:// URL (best without its password: PGPASSWORD, ~/.pgpass) or a state file')
    .option('--workspace <name>', 'the workspace on the PostgreSQL side(s) (also TVD_WORKSPACE; default: default)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ PGPASSWORD=... tvd state migrate --to postgres://tvd@db.internal/tvd\n  $ tvd state migrate --from postgres://tvd@db.internal/tvd --to backup.json --workspace production\n\nBoth backends are locked while the state moves. The source is left as it was: once the\nteam uses the new backend (the topology\'s backend block, --backend or PG_CONN_STR), remove it.\n',
    )
    .action(async (o: MigrateOptions) => (await import('../actions/state.js')).migrate(o));
}
