// Options every command that reads the state shares: where the state is, and how to talk.
import type { Command } from 'commander';
import { DEFAULT_STATE_PATH } from '../state/store.js';

export interface CommonOptions {
  state: string;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--state <path>', 'the state file', DEFAULT_STATE_PATH)
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--quiet', 'print only errors and the final result')
    .option('--verbose', 'print more, and stack traces for internal errors');
}
