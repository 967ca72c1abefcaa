// The plan as people read it, Terraform-style: grouped by host, `+ ~ - -/+`, each resource with
// what changes in it, why where the topology does not say, then a summary and the warnings.
// Pure: the plan in, text out (the CLI writes it).
import type { Plan, PlannedAction, WarningCode } from '../../plan/plan.js';
import type { Palette } from '../palette.js';
import { objectDiff } from './attribute-diff.js';
import { fold, paint, type Line } from './lines.js';
import { domainText, reasonText } from './reasons.js';
import { explainText } from './explain.js';
import { errorLines } from './errors.js';
import { partialLines } from './partial.js';
import { actionAddress } from '../../address/address.js';
import { shownAttrs, shownForce } from './vm-display.js';

export interface PlanTextOptions {
  verb?: 'plan' | 'destroy';
  /** Unchanged attributes, elements and lines too; deleted resources' attributes; every warning. */
  verbose?: boolean;
  /** The mechanism of each host pair and the evidence for it. */
  explain?: boolean;
  /** Lines longer than this are folded. */
  width?: number;
}

const SIGN: Record<PlannedAction['action'], string> = { create: '+', update: '~', delete: '-', replace: '-/+' };

/** Warnings that follow from the topology alone and so come back on every plan. */
const REPEATING: ReadonlySet<WarningCode> = new Set(['mtu', 'flows']);

type Obj = Record<string, unknown>;

/** Attribute lines start at this column, their text two further on. */
const INDENT = 8;

function attributeLines(a: PlannedAction, verbose: boolean, width: number): Line[] {
  const before = shownAttrs(a, (a.before ?? {}) as Obj);
  const after = shownAttrs(a, (a.after ?? {}) as Obj);
  const room = width - INDENT - 2;
  if (a.action === 'create') return objectDiff({}, after, 0, { room });
  if (a.action === 'delete') return verbose ? objectDiff(before, {}, 0, { room }) : [];
  const forces = new Set((a.forcesReplacement ?? []).map((k) => shownForce(a, k)));
  return objectDiff(before, after, 0, { verbose, room, note: (k) => (forces.has(k) ? 'forces replacement' : undefined) });
}

function actionLines(a: PlannedAction, c: Palette, o: PlanTextOptions): string[] {
  const address = actionAddress(a);
  const color = a.action === 'create' ? c.green : a.action === 'delete' ? c.red : a.action === 'update' ? c.yellow : c.magenta;
  const out: string[] = [];
  const why = reasonText(a);
  if (why) out.push(c.dim(`    # ${address} ${why}`));
  const domain = domainText(a);
  if (domain) out.push(c.yellow(`    # ${domain}`));
  out.push(`  ${color(SIGN[a.action].padStart(3))} ${address}`);
  const width = o.width ?? 120;
  out.push(...paint(attributeLines(a, !!o.verbose, width), c, INDENT, width));
  return out;
}

/** The warnings to print: all of them, or with nothing to change, those that are news. */
function warningLines(plan: Plan, c: Palette, o: PlanTextOptions): string[] {
  const codes = plan.warningCodes ?? [];
  const seen = new Set<string>();
  const shown: string[] = [];
  let repeating = 0;
  plan.warnings.forEach((w, i) => {
    if (seen.has(w)) return;
    seen.add(w);
    if (plan.actions.length === 0 && !o.verbose && REPEATING.has(codes[i])) repeating++;
    else shown.push(w);
  });
  const out: string[] = [];
  const item = (w: string) => fold(w, (o.width ?? 120) - 4).map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`));
  if (shown.length) out.push('', c.yellow('Warnings:'), ...shown.flatMap(item));
  if (repeating)
    out.push(
      '',
      c.dim(
        `(${repeating} ${repeating === 1 ? 'warning' : 'warnings'} about the topology, shown by every plan with changes, left out; --verbose shows them)`,
      ),
    );
  return out;
}

export function planText(plan: Plan, c: Palette, o: PlanTextOptions = {}): string {
  const out: string[] = [];
  if (plan.errors.length) return errorLines(plan.errors, c).join('\n') + '\n';
  if (plan.partial) out.push(...partialLines(plan.partial, c));
  if (plan.actions.length === 0 && o.verb === 'destroy') {
    out.push(c.green('Nothing to destroy.') + ' The state records nothing that tvd put on these hosts.');
  } else if (plan.actions.length === 0) {
    out.push(
      c.green('No changes.') + (plan.partial ? ' The part this plan covers matches the topology.' : ' The hosts match the topology.'),
    );
  } else {
    out.push(`tvd will perform the following actions${o.verb === 'destroy' ? ' to destroy everything it made' : ''}:`);
    let host = '';
    for (const a of plan.actions) {
      if (a.host !== host) {
        host = a.host;
        out.push('', c.bold(`  # host ${host}`));
      }
      out.push('', ...actionLines(a, c, o));
    }
    const s = plan.summary;
    out.push('', c.bold(`Plan: ${s.create + s.replace} to add, ${s.update} to change, ${s.delete + s.replace} to destroy.`));
    // Never silent: what refresh took back from a host's records after an apply was cut off.
    const adopted = plan.actions.filter((a) => a.reason === 'adopted');
    if (adopted.length) out.push('', ...adopted.map((a) => c.yellow(`adopted from host: ${actionAddress(a)}`)));
  }
  if (o.explain) out.push(...explainText(plan, c, o.width));
  out.push(...warningLines(plan, c, o));
  return out.join('\n') + '\n';
}
