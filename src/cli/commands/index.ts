// Every subcommand, in the order `tvd --help` lists them. A command appears here once it works.
import type { Command } from 'commander';
import { registerValidate } from './validate.js';

const registrations: ((program: Command) => void)[] = [registerValidate];

export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}
