// `tvd leave VM TVD`: see join.ts, which carries both.
import type { Command } from 'commander';
import { registerLeaveCommand } from './join.js';

export function registerLeave(program: Command): void {
  registerLeaveCommand(program);
}
