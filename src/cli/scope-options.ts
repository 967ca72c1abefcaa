// --target, --limit and --skip-unreachable: the options of a partial plan (plan, apply, destroy).
// The selection itself is pure (src/plan/target.ts); preparePlan applies it.
import type { Command } from 'commander';
import type { ScopeOptions } from '../refresh/prepare-plan.js';

export interface ScopeCliOptions {
  target?: string[];
  limit?: string[];
  skipUnreachable?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];

export function addScopeOptions(cmd: Command, o: { skipUnreachable: boolean } = { skipUnreachable: true }): Command {
  cmd
    .option(
      '--target <address>',
      'only this resource (h1/vm/web), type on a host (h1/vm) or host (h1), and what it needs on its host; repeatable. The plan is partial',
      collect,
    )
    .option(
      '--limit <host>',
      'only these hosts: the others are neither read nor changed; repeatable, or comma-separated. The plan is partial',
      collect,
    );
  if (o.skipUnreachable) {
    cmd.option(
      '--skip-unreachable',
      'go on without a host that cannot be reached: named, its recorded resources kept as they are, nothing planned for it; the plan is partial (and --detailed-exitcode exits 2)',
    );
  }
  return cmd;
}

export function scopeFrom(o: ScopeCliOptions): ScopeOptions {
  return { targets: o.target ?? [], limit: o.limit ?? [], skipUnreachable: !!o.skipUnreachable };
}

/** Whether any was given: they mean nothing for a saved plan, which is applied as it was saved. */
export function scopeGiven(o: ScopeCliOptions): boolean {
  return !!(o.target?.length || o.limit?.length || o.skipUnreachable);
}
