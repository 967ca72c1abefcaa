// What `tvd state list`, `rm` and `migrate` do; their options are in commands/state.ts.
import { chooseBackend, describeBackend, sameBackend, type BackendSpec } from '../../state/backend-spec.js';
import { migrateState } from '../../state/migrate.js';
import { openBackend } from '../../state/open-backend.js';
import { isPostgresUrl } from '../../topology/postgres-url.js';
import { UserError } from '../../errors/user-error.js';
import type { CommonOptions } from '../common-options.js';
import { backendSpecFor } from '../state-backend.js';
import { compareAddresses, addressKey } from '../../address/address.js';
import { removeFromState, selectRecords } from '../../state/remove.js';
import { backupPath } from '../../state/backup.js';
import { writeState } from '../../state/store.js';
import { paletteFor } from '../palette.js';

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
    else
      process.stdout.write(
        `Copied ${what} from ${a.name} to ${b.name}.\n${a.name} is left as it was: once the team uses the new backend, remove it.\n`,
      );
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

export type ListOptions = CommonOptions;

export async function list(prefixes: string[], o: ListOptions): Promise<void> {
  const backend = await openBackend(backendSpecFor(o));
  try {
    const state = await backend.read();
    const records = prefixes.length ? selectRecords(state, prefixes).selected : [...state.resources].sort(compareAddresses);
    process.stdout.write(records.map((r) => addressKey(r) + '\n').join(''));
  } finally {
    await backend.close();
  }
}

export interface RmOptions extends CommonOptions {
  backup?: string;
}

export async function rm(addresses: string[], o: RmOptions): Promise<void> {
  const c = paletteFor(o);
  const spec = backendSpecFor(o);
  const backend = await openBackend(spec);
  try {
    const lock = await backend.lock('state rm');
    try {
      const before = await backend.read();
      const { state, removed } = removeFromState(before, addresses);
      // The backup first: if it cannot be written, nothing is removed.
      const backup = o.backup ?? backupPath(spec);
      await writeState(backup, before);
      await backend.write(state);
      if (!o.quiet) for (const a of removed) process.stdout.write(`Removed ${a}\n`);
      process.stdout.write(
        c.green(`Removed ${removed.length} ${removed.length === 1 ? 'record' : 'records'} from the state`) +
          ` (serial ${before.serial} -> ${state.serial}). The previous state is in ${backup}.\n` +
          (o.quiet
            ? ''
            : c.dim(
                'No host was touched. A host that still holds tvd\'s records gives them back at the next refresh (the plan names them "adopted from host").\n',
              )),
      );
    } finally {
      await lock.release();
    }
  } finally {
    await backend.close();
  }
}
