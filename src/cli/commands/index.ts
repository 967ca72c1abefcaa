// Every subcommand, in the order `tvd --help` lists them. A command appears here once it works.
import type { Command } from 'commander';
import { registerValidate } from './validate.js';
import { registerCapabilities } from './capabilities.js';

const registrations: ((program: Command) => void)[] = [registerValidate, registerCapabilities];

export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}
