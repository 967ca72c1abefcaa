// Which backend a run uses, decided from the flags, the environment, the topology's `backend:`
// block and a saved plan's record, in that order, as Terraform's pg backend does (PG_CONN_STR,
// PG_SCHEMA_NAME). Pure: the caller passes the environment in.
import { UserError } from '../errors/user-error.js';
import { PG_SCHEMA_PATTERN, WORKSPACE_PATTERN } from '../topology/schema-constants.js';
import { isPostgresUrl, redactUrl } from '../topology/postgres-url.js';
import { DEFAULT_STATE_PATH } from './store.js';

export const DEFAULT_PG_SCHEMA = 'tvd';
export const DEFAULT_WORKSPACE = 'default';

export type BackendSpec = { type: 'local'; path: string } | { type: 'postgres'; url: string; schema: string; workspace: string };

/** The topology's `backend:` block (src/topology/schema.ts). */
export interface BackendBlock {
  type: 'local' | 'postgres';
  path?: string;
  url?: string;
  schema?: string;
  workspace?: string;
}

export interface BackendEnv {
  PG_CONN_STR?: string;
  PG_SCHEMA_NAME?: string;
  TVD_WORKSPACE?: string;
}

export interface BackendInputs {
  /** --backend URL */
  backend?: string;
  /** --workspace NAME */
  workspace?: string;
  /** --state PATH, when given */
  state?: string;
  block?: BackendBlock;
  /** The backend a saved plan was made against (recorded without its password). */
  planned?: BackendSpec;
  env: BackendEnv;
}

export function chooseBackend(i: BackendInputs): BackendSpec {
  const fromBlock = i.block?.type === 'postgres' ? i.block.url : undefined;
  const fromPlan = i.planned?.type === 'postgres' ? i.planned.url : undefined;
  const [url, source] =
    i.backend !== undefined
      ? [i.backend, '--backend']
      : i.env.PG_CONN_STR
        ? [i.env.PG_CONN_STR, 'PG_CONN_STR']
        : fromBlock !== undefined
          ? [fromBlock, "the topology's backend.url"]
          : [fromPlan, 'the saved plan'];
  const workspace =
    i.workspace ??
    (i.env.TVD_WORKSPACE || undefined) ??
    i.block?.workspace ??
    (i.planned?.type === 'postgres' ? i.planned.workspace : undefined);
  if (url === undefined && i.block?.type === 'postgres') {
    throw new UserError(
      "the topology's backend is postgres but names no database: set backend.url (without a password), PG_CONN_STR or --backend",
    );
  }
  if (url === undefined) {
    if (workspace !== undefined && workspace !== DEFAULT_WORKSPACE) {
      throw new UserError(
        `workspace ${workspace}: workspaces are for the postgres backend; with the local file, choose the state with --state`,
      );
    }
    return { type: 'local', path: i.state ?? (i.block?.type === 'local' ? i.block.path : undefined) ?? DEFAULT_STATE_PATH };
  }
  if (!isPostgresUrl(url) || redactUrl(url) === undefined) {
    throw new UserError(`${source}: expected a postgres:// or postgresql:// URL (the local file is chosen with --state)`);
  }
  if (i.state !== undefined) {
    throw new UserError(
      `--state names a file, but the state is in PostgreSQL (${redactUrl(url)}, from ${source}); drop --state, or unset ${source === 'PG_CONN_STR' ? 'PG_CONN_STR' : 'the backend'} to use the file`,
    );
  }
  const ws = workspace ?? DEFAULT_WORKSPACE;
  if (!new RegExp(WORKSPACE_PATTERN).test(ws))
    throw new UserError(`workspace ${JSON.stringify(ws)}: expected letters, digits, '-', '_' or '.', at most 63`);
  const schema =
    (i.env.PG_SCHEMA_NAME || undefined) ??
    i.block?.schema ??
    (i.planned?.type === 'postgres' ? i.planned.schema : undefined) ??
    DEFAULT_PG_SCHEMA;
  if (!new RegExp(PG_SCHEMA_PATTERN).test(schema))
    throw new UserError(`schema ${JSON.stringify(schema)}: expected lower-case letters, digits and '_', at most 63`);
  const chosen: BackendSpec = { type: 'postgres', url, schema, workspace: ws };
  if (i.planned?.type === 'postgres' && !sameBackend(publicSpec(chosen), i.planned)) {
    throw new UserError(
      `the saved plan was made against ${describeBackend(i.planned)}, and this run would use ${describeBackend(chosen)}; apply it against the state it was made from`,
    );
  }
  return chosen;
}

/** The spec without secrets: what a saved plan records and messages show. */
export function publicSpec(s: BackendSpec): BackendSpec {
  return s.type === 'local' ? s : { ...s, url: redactUrl(s.url) ?? '?' };
}

export function sameBackend(a: BackendSpec, b: BackendSpec): boolean {
  if (a.type === 'local' || b.type === 'local') return a.type === b.type && (a as { path: string }).path === (b as { path: string }).path;
  return (redactUrl(a.url) ?? a.url) === (redactUrl(b.url) ?? b.url) && a.schema === b.schema && a.workspace === b.workspace;
}

/** How messages name a backend; never with its password. */
export function describeBackend(s: BackendSpec): string {
  if (s.type === 'local') return s.path;
  const schema = s.schema === DEFAULT_PG_SCHEMA ? '' : `, schema ${s.schema}`;
  return `${redactUrl(s.url) ?? 'a postgres URL'} (workspace ${s.workspace}${schema})`;
}
