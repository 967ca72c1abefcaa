// Options every command that reads the state shares: where the state is, and how to talk.
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../state/store.js';

export interface CommonOptions {
  /** --state PATH; undefined when not given (the backend then decides, else DEFAULT_STATE_PATH). */
  state?: string;
  backend?: string;
  workspace?: string;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--state <path>', `the state file, with the local backend (default: ${DEFAULT_STATE_PATH})`)
    .option(
      '--backend <url>',
      "keep the state in PostgreSQL: a postgres:// URL, best without its password (PGPASSWORD, ~/.pgpass); also PG_CONN_STR, or the topology's backend block",
    )
    .option('--workspace <name>', 'which of the states in that database (also TVD_WORKSPACE; default: default)')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--quiet', 'print only errors and the final result')
    .option('--verbose', 'print more, and stack traces for internal errors');
}
