// What `tvd state migrate` does; its options are in commands/state.ts.
import { chooseBackend, describeBackend, sameBackend, type BackendSpec } from '../../state/backend-spec.js';
import { migrateState } from '../../state/migrate.js';
import { openBackend } from '../../state/open-backend.js';
import { isPostgresUrl } from '../../state/postgres-url.js';
import { UserError } from '../../errors/user-error.js';

export interface MigrateOptions {
  from: string;
  to: string;
  workspace?: string;
}

/** One end: a postgres:// URL, else a state file. */
function end(value: string, workspace: string | undefined): BackendSpec {
  const env = { TVD_WORKSPACE: process.env.TVD_WORKSPACE, PG_SCHEMA_NAME: process.env.PG_SCHEMA_NAME };
  return isPostgresUrl(value) ? chooseBackend({ backend: value, workspace, env }) : chooseBackend({ state: value, env: {} });
}

export async function migrate(o: MigrateOptions): Promise<void> {
  const from = end(o.from, o.workspace);
  const to = end(o.to, o.workspace);
  if (sameBackend(from, to)) throw new UserError(`--from and --to are the same state (${describeBackend(from)})`);
  const [a, b] = [await openBackend(from), await openBackend(to)];
  try {
    const r = await migrateState(a, b);
    const what = `the state (lineage ${r.state.lineage}, serial ${r.state.serial}, ${r.state.resources.length} resources)`;
    if (r.action === 'unchanged') process.stdout.write(`${b.name} holds ${what} already: nothing to do.\n`);
    else process.stdout.write(`Copied ${what} from ${a.name} to ${b.name}.\n${a.name} is left as it was: once the team uses the new backend, remove it.\n`);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}
