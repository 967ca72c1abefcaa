// What the commands that print a plan (plan, apply, destroy, show PLAN) pass its renderer:
// --verbose, --explain, and the width to fold at (the terminal's, else a log's 120).
import type { Command } from 'commander';
import type { PlanTextOptions } from './plan-text/plan-text.js';

export interface PlanTextCliOptions {
  verbose?: boolean;
  explain?: boolean;
}

export function addExplainOption(cmd: Command): Command {
  return cmd.option(
    '--explain',
    'also say which mechanism (dedicated NIC, VLAN, encapsulation) each host pair of a TVD got, and the evidence that decided it',
  );
}

export function planTextOptions(o: PlanTextCliOptions, out: NodeJS.WriteStream = process.stdout): PlanTextOptions {
  return { verbose: o.verbose, explain: o.explain, width: out.isTTY && out.columns ? Math.max(60, out.columns) : 120 };
}
