// The plan as people read it, Terraform-style: grouped by host, `+ ~ - -/+`, then a summary.
import type { Plan, PlannedAction } from '../plan/plan.js';
import type { Palette } from './palette.js';

const SIGN: Record<PlannedAction['action'], string> = { create: '+', update: '~', delete: '-', replace: '-/+' };

function short(v: unknown): string {
  if (v === undefined) return '(none)';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function detail(a: PlannedAction): string[] {
  const before = (a.before ?? {}) as Record<string, unknown>;
  const after = (a.after ?? {}) as Record<string, unknown>;
  if (a.action === 'create') {
    return Object.entries(after)
      .filter(([k, v]) => typeof v !== 'object' && k !== 'config' && k !== 'ruleset')
      .map(([k, v]) => `${k} = ${short(v)}`);
  }
  if (a.action === 'delete') return [];
  return (a.changed ?? []).map((k) => `${k}: ${short(before[k])} -> ${short(after[k])}`);
}

export function planText(plan: Plan, c: Palette, verb: 'plan' | 'destroy' = 'plan'): string {
  const out: string[] = [];
  if (plan.errors.length) {
    for (const e of plan.errors) out.push(c.red(`Error: ${e.message}`));
    return out.join('\n') + '\n';
  }
  if (plan.actions.length === 0) {
    out.push(c.green('No changes.') + ' The hosts match the topology.');
  } else {
    out.push(`tvd will perform the following actions${verb === 'destroy' ? ' to destroy everything it made' : ''}:`);
    let host = '';
    for (const a of plan.actions) {
      if (a.host !== host) {
        host = a.host;
        out.push('', c.bold(`  # host ${host}`));
      }
      const color = a.action === 'create' ? c.green : a.action === 'delete' ? c.red : a.action === 'update' ? c.yellow : c.magenta;
      const why = a.reason ? c.dim(`  (${a.reason})`) : '';
      out.push(`  ${color(SIGN[a.action].padStart(3))} ${a.host}/${a.resource.type}/${a.resource.name}${why}`);
      for (const d of detail(a)) out.push(c.dim(`        ${d}`));
    }
    const s = plan.summary;
    out.push('', c.bold(`Plan: ${s.create + s.replace} to add, ${s.update} to change, ${s.delete + s.replace} to destroy.`));
  }
  if (plan.warnings.length) {
    out.push('', c.yellow('Warnings:'));
    for (const w of plan.warnings) out.push(`  - ${w}`);
  }
  return out.join('\n') + '\n';
}
