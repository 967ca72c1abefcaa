// The state in PostgreSQL, as Terraform's pg backend keeps it: one table of workspaces (one
// state each) in a schema of its own, and a session-level advisory lock per workspace, so that a
// run that dies, however, releases its lock with its connection. Every write runs in one
// transaction that reads the stored head FOR UPDATE and checks serial and lineage against what
// this run read (write-check.ts) before it replaces the state; a write that lost a race is
// refused. One connection per run: the lock, the reads and the writes share it, and once it is
// lost (the database restarted, the network cut) nothing more is written: the lock went with it.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { StateBackend, StateLock } from './backend.js';
import { describeBackend, type BackendSpec } from './backend-spec.js';
import { stateProblems } from './check-state.js';
import { newLockInfo, type LockInfo } from './lock.js';
import { mask } from './secret-mask.js';
import type { State } from './state.js';
import { emptyState } from './store.js';
import { writeRefusal, type Head } from './write-check.js';
import { UserError } from '../errors/user-error.js';

/** The first key of tvd's advisory locks ('tvd' in ASCII); the second is the workspace's id. */
export const LOCK_CLASS = 0x747664;

type PostgresSpec = Extract<BackendSpec, { type: 'postgres' }>;

/** The holder as the holder itself wrote it, with its PostgreSQL session. */
interface Holder extends LockInfo {
  backendPid: number;
}

/** The connection is gone, and the lock with it. */
export class StateConnectionLost extends UserError {
  constructor(name: string, reason: string) {
    super(
      `lost the connection to the state database ${name} (${mask(reason)}); the lock on the state went with it, so this run records nothing more. ` +
        'The state holds what was recorded before; the hosts may hold more, which the next `tvd plan` reads back from them.',
    );
    this.name = 'StateConnectionLost';
  }
}

/** Another run holds the lock. */
export class StateLockedError extends UserError {
  constructor(
    name: string,
    readonly holder: LockInfo | undefined,
    backendPid: number | undefined,
  ) {
    const who = holder
      ? `lock ID ${holder.id}, held by ${holder.who} (pid ${holder.pid}) for ${holder.operation} since ${holder.created}`
      : `held by PostgreSQL session ${backendPid ?? '?'}, whose run has not said who it is yet`;
    super(
      `the state (${name}) is locked by another run: ${who}. Wait for it to finish: PostgreSQL frees the lock as soon as that run's connection ends, ` +
        'also when its tvd is killed, so no force-unlock is needed.',
    );
    this.name = 'StateLockedError';
  }
}

export function postgresBackend(spec: PostgresSpec): StateBackend {
  const name = describeBackend(spec);
  const table = `"${spec.schema}".states`;
  const runId = randomUUID();
  let client: Promise<pg.Client> | undefined;
  let lost: Error | undefined;
  let tablesReady = false;
  /** What this run last read or wrote (undefined: it found no state). */
  let known: Head | undefined;
  let writer: string = runId;
  /** Statements of one transaction must not interleave with another's on the one connection. */
  let queue: Promise<unknown> = Promise.resolve();

  const connect = (): Promise<pg.Client> =>
    (client ??= (async () => {
      const { Client } = (await import('pg')).default;
      const c = new Client({ connectionString: spec.url, application_name: 'tvd', connectionTimeoutMillis: 10_000, keepAlive: true });
      c.on('error', (err) => (lost ??= err));
      c.on('end', () => (lost ??= new Error('the connection was closed')));
      try {
        await c.connect();
        // The server finds a vanished client (its machine gone, the network cut) by TCP keepalive
        // and then frees its lock: after about a minute rather than the kernel's two hours. An
        // idle_session_timeout would end a run that waits on its hosts: off for this session.
        await c.query(
          `SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3;
           DO $$ BEGIN PERFORM set_config('idle_session_timeout', '0', false); EXCEPTION WHEN undefined_object THEN NULL; END $$`,
        );
      } catch (err) {
        await c.end().catch(() => undefined);
        throw new UserError(`cannot reach the state database ${name}: ${mask(messageOf(err))}`);
      }
      return c;
    })());

  const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> => {
    if (lost) throw new StateConnectionLost(name, messageOf(lost));
    const c = await connect();
    try {
      return await c.query<R>(sql, params);
    } catch (err) {
      if (lost || isConnectionError(err)) throw new StateConnectionLost(name, messageOf(lost ?? err));
      throw new UserError(`the state database ${name} refused a request: ${mask(messageOf(err))}`);
    }
  };

  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const tablesExist = async (): Promise<boolean> => {
    if (tablesReady) return true;
    const r = await query<{ t: string | null }>('SELECT to_regclass($1) AS t', [table]);
    return (tablesReady = r.rows[0]?.t != null);
  };

  // Two first runs at once must not both create the table (CREATE ... IF NOT EXISTS races on
  // the catalog), so the creation holds a transaction-level advisory lock of its own.
  const ensureTables = async (): Promise<void> => {
    if (await tablesExist()) return;
    await query('BEGIN');
    try {
      await query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_CLASS]);
      await query(`CREATE SCHEMA IF NOT EXISTS "${spec.schema}"`);
      await query(
        `CREATE TABLE IF NOT EXISTS ${table} (
           id serial PRIMARY KEY,
           workspace text NOT NULL UNIQUE,
           lineage text,
           serial bigint,
           state json,
           writer text,
           lock_holder json,
           updated_at timestamptz
         )`,
      );
      await query('COMMIT');
    } catch (err) {
      await query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    tablesReady = true;
  };

  const workspaceId = async (): Promise<number> => {
    await query(`INSERT INTO ${table} (workspace) VALUES ($1) ON CONFLICT (workspace) DO NOTHING`, [spec.workspace]);
    const r = await query<{ id: number }>(`SELECT id FROM ${table} WHERE workspace = $1`, [spec.workspace]);
    return r.rows[0].id;
  };

  const holderOf = async (id: number): Promise<StateLockedError> => {
    const r = await query<{ holder: string | null; pid: number | null }>(
      `SELECT h.lock_holder::text AS holder, l.pid
         FROM ${table} h
         LEFT JOIN pg_locks l ON l.locktype = 'advisory' AND l.classid = $2::int::oid AND l.objid = h.id::oid AND l.objsubid = 2 AND l.granted
        WHERE h.id = $1`,
      [id, LOCK_CLASS],
    );
    const row = r.rows[0];
    const holder = row?.holder ? (JSON.parse(row.holder) as Holder) : undefined;
    // A holder record is the current holder's only if it names the session that holds the lock.
    const current = holder && row?.pid != null && holder.backendPid === row.pid ? holder : undefined;
    return new StateLockedError(name, current && stripSession(current), row?.pid ?? undefined);
  };

  return {
    name,

    lock: (operation) =>
      serialized(async (): Promise<StateLock> => {
        await ensureTables();
        const id = await workspaceId();
        const info = newLockInfo(operation);
        // Taking the lock and saying who holds it happen under the workspace's row lock, which
        // every taker waits for first: one that finds the lock held reads its holder's record
        // complete. (The advisory lock itself is the session's and outlives the transaction.)
        await query('BEGIN');
        try {
          await query(`SELECT id FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
          const got = await query<{ ok: boolean; pid: number }>('SELECT pg_try_advisory_lock($1, $2) AS ok, pg_backend_pid() AS pid', [
            LOCK_CLASS,
            id,
          ]);
          if (!got.rows[0].ok) throw await holderOf(id);
          await query(`UPDATE ${table} SET lock_holder = $2 WHERE id = $1`, [
            id,
            JSON.stringify({ ...info, backendPid: got.rows[0].pid } satisfies Holder),
          ]);
          await query('COMMIT');
        } catch (err) {
          if (!lost) await query('ROLLBACK').catch(() => undefined);
          throw err;
        }
        writer = info.id;
        let released = false;
        return {
          info,
          release: () =>
            serialized(async () => {
              if (released || lost) return;
              released = true;
              await query(`UPDATE ${table} SET lock_holder = NULL WHERE id = $1 AND lock_holder->>'id' = $2`, [id, info.id]).catch(
                () => undefined,
              );
              await query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, id]).catch(() => undefined);
            }),
          // The process exits right after: that closes the connection, which frees the lock.
          releaseSync: () => {},
        };
      }),

    read: () =>
      serialized(async (): Promise<State> => {
        if (!(await tablesExist())) return ((known = undefined), emptyState());
        const r = await query<{ serial: string | null; state: string | null }>(
          `SELECT serial::text, state::text FROM ${table} WHERE workspace = $1`,
          [spec.workspace],
        );
        const row = r.rows[0];
        if (!row || row.state === null) return ((known = undefined), emptyState());
        let data: unknown;
        try {
          data = JSON.parse(row.state);
        } catch (err) {
          throw new UserError(`${name}: the stored state is corrupt: not valid JSON (${(err as Error).message})`);
        }
        const problems = stateProblems(data);
        if (problems.length) throw new UserError(`${name}: the stored state is corrupt: ${problems.slice(0, 3).join('; ')}`);
        const state = data as State;
        known = { lineage: state.lineage, serial: state.serial };
        return state;
      }),

    write: (state) =>
      serialized(async () => {
        const problems = stateProblems(state);
        if (problems.length) throw new Error(`refusing to write an invalid state to ${name}: ${problems.join('; ')}`);
        await ensureTables();
        await query('BEGIN');
        try {
          await query(`INSERT INTO ${table} (workspace) VALUES ($1) ON CONFLICT (workspace) DO NOTHING`, [spec.workspace]);
          const r = await query<{ lineage: string | null; serial: string | null; writer: string | null }>(
            `SELECT lineage, serial::text, writer FROM ${table} WHERE workspace = $1 FOR UPDATE`,
            [spec.workspace],
          );
          const row = r.rows[0];
          const stored: Head | undefined =
            row.lineage === null ? undefined : { lineage: row.lineage, serial: Number(row.serial), writer: row.writer ?? undefined };
          const refusal = writeRefusal(stored, known, state, writer);
          if (refusal)
            throw new UserError(`refusing to write the state to ${name}: ${refusal}. Nothing was written; run \`tvd plan\` again.`);
          await query(`UPDATE ${table} SET lineage = $2, serial = $3, state = $4, writer = $5, updated_at = now() WHERE workspace = $1`, [
            spec.workspace,
            state.lineage,
            state.serial,
            JSON.stringify(state),
            writer,
          ]);
          await query('COMMIT');
        } catch (err) {
          if (!lost) await query('ROLLBACK').catch(() => undefined);
          throw err;
        }
        known = { lineage: state.lineage, serial: state.serial, writer };
      }),

    forceUnlock: async () => {
      throw new UserError(
        `${name} needs no force-unlock: PostgreSQL frees a run's lock as soon as its connection ends, also when its tvd is killed. ` +
          'A run that still holds it is still connected: stop it (or end its session with pg_terminate_backend).',
      );
    },

    close: async () => {
      const c = client;
      client = undefined;
      lost ??= new Error('the connection was closed');
      if (c) await (await c.catch(() => undefined))?.end().catch(() => undefined);
    },
  };
}

function stripSession(h: Holder): LockInfo {
  const { backendPid: _, ...info } = h;
  return info;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message || (err as NodeJS.ErrnoException).code || err.name : String(err);
}

/** SQLSTATE classes 08 (connection exception) and 57P (the server shutting down); or no SQLSTATE at all (a socket error). */
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57P');
}
