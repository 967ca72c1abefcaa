// What a partial plan says of itself (--target, --limit, --skip-unreachable), as Terraform warns
// that resource targeting is in effect: the plan leaves things out, and which.
import type { PartialPlan } from '../../plan/plan.js';
import type { Palette } from '../palette.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The lines a partial plan starts with. */
export function partialLines(p: PartialPlan, c: Palette): string[] {
  const only: string[] = [];
  if (p.targets.length) only.push(`the targets ${p.targets.join(', ')} (and what they need on their hosts)`);
  if (p.limit.length) only.push(`the ${p.limit.length === 1 ? 'host' : 'hosts'} ${p.limit.join(', ')}`);
  const out = [c.yellow(c.bold('Warning: this plan is partial.')) + (only.length ? ` It covers only ${only.join(', on ')}.` : '')];
  for (const s of p.skipped) {
    // The reason names the host already (`host h3 (198.18.0.13:22): connection refused`).
    const m = /^host \S+ (\([^)]*\)): ([\s\S]*)$/.exec(s.reason);
    out.push(c.yellow(m ? `host ${s.host} ${m[1]} skipped, unreachable: ${m[2]}` : `host ${s.host} skipped, unreachable: ${s.reason}`));
    out.push(
      c.dim(
        `  its ${plural(s.resources, 'recorded resource')} ${s.resources === 1 ? 'is' : 'are'} kept as ${s.resources === 1 ? 'it is' : 'they are'}; nothing is planned for it`,
      ),
    );
  }
  if (p.omitted) out.push(`${plural(p.omitted, 'action')} of the whole plan ${p.omitted === 1 ? 'is' : 'are'} left out.`);
  out.push(c.dim('After applying it the hosts may still differ from the topology: run `tvd plan` without these options to see all.'), '');
  return out;
}

/** After a partial apply: what it did not do. */
export function partialApplyNote(p: PartialPlan, c: Palette): string {
  const why = [
    p.targets.length ? '--target' : '',
    p.limit.length ? '--limit' : '',
    p.skipped.length ? `${plural(p.skipped.length, 'host')} skipped` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return c.yellow(`\nThe plan was partial (${why}): run \`tvd plan\` without it to see what is left.\n`);
}
