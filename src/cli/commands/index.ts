// Every subcommand, in the order `tvd --help` lists them. A command appears here once it works.
// Each commands/<name>.ts holds only its definition (arguments, options, help); its action
// imports actions/<name>.ts when it runs, so `tvd --help` loads no command's code and each
// command loads only its own (ssh2, the YAML parsers, the planner, ...).
import type { Command } from 'commander';
import { registerInit } from './init.js';
import { registerValidate } from './validate.js';
import { registerCapabilities } from './capabilities.js';
import { registerPlan } from './plan.js';
import { registerApply } from './apply.js';
import { registerDestroy } from './destroy.js';
import { registerShow } from './show.js';
import { registerForceUnlock } from './force-unlock.js';
import { registerVerify } from './verify.js';
import { registerJoin } from './join.js';
import { registerLeave } from './leave.js';
import { registerGraph } from './graph.js';
import { registerState } from './state.js';

const registrations: ((program: Command) => void)[] = [
  registerInit,
  registerValidate,
  registerCapabilities,
  registerPlan,
  registerApply,
  registerDestroy,
  registerVerify,
  registerJoin,
  registerLeave,
  registerShow,
  registerForceUnlock,
  registerState,
  registerGraph,
];

export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}
