// How progress reads: one plain line per host event (CI, pipes), or a block with one line per
// host that is redrawn in place (a terminal). Pure.
import type { ApplyEvent } from '../apply/apply-plan.js';
import type { Palette } from './palette.js';
import { did, doing, elapsedSeconds, type HostProgress, type ProgressModel } from './progress-model.js';

export const secs = (s: number) => `${s.toFixed(1)}s`;

/** The plain line for an event, or undefined for events that only move the live block. */
export function plainLine(e: ApplyEvent, h: HostProgress | undefined, now: number, c: Palette): string | undefined {
  const t = h ? elapsedSeconds(h, now) : undefined;
  const at = t === undefined ? '' : c.dim(` (${secs(t)})`);
  switch (e.type) {
    case 'host-start':
      return `${c.bold(e.host)}: starting, ${e.total} ${e.total === 1 ? 'step' : 'steps'}`;
    case 'step-begin':
      return undefined;
    case 'step-ok':
      return `${c.bold(e.host)}: [${e.done}/${e.total}] ${e.address} ${c.green(did(e.action))}${at}`;
    case 'step-fail':
      return `${c.bold(e.host)}: ${e.address} ${c.red(`failed (exit ${e.code})`)}${at}`;
    case 'host-done':
      return e.ok
        ? `${c.bold(e.host)}: ${c.green('done')}, ${e.done}/${e.total}${at}`
        : // The error itself is printed once, in the summary at the end.
          `${c.bold(e.host)}: ${c.red(`failed after ${e.done}/${e.total}`)}${at}`;
    case 'host-skipped':
      return `${c.bold(e.host)}: ${c.yellow(`not started (${e.reason})`)}`;
  }
}

function bar(done: number, total: number, width: number): string {
  const full = total === 0 ? width : Math.round((done / total) * width);
  return '#'.repeat(full) + '.'.repeat(width - full);
}

function fit(s: string, width: number): string {
  return s.length <= width ? s : s.slice(0, Math.max(0, width - 3)) + '...';
}

/**
 * One line per host: name, bar, done/total, what it does now, time. `columns` is the terminal's
 * width; `rows` its height: a block taller than the screen could not be redrawn in place, so then
 * only failed and running hosts get a line, and one line counts the rest.
 */
export function blockLines(m: ProgressModel, now: number, c: Palette, columns = 100, rows = Infinity): string[] {
  const max = Math.max(2, rows - 2);
  if (m.hosts.length <= max) return hostLines(m.hosts, now, c, columns);
  const shown = m.hosts.filter((h) => h.status === 'failed' || h.status === 'running').slice(0, max - 1);
  const count = (s: HostProgress['status']) => m.hosts.filter((h) => h.status === s).length;
  const rest = [
    `${count('ok')} done`,
    count('failed') ? c.red(`${count('failed')} failed`) : '',
    `${count('running')} running`,
    `${count('waiting')} waiting`,
    count('skipped') ? c.yellow(`${count('skipped')} not started`) : '',
  ].filter(Boolean);
  return [...hostLines(shown, now, c, columns, m.hosts), `  ${m.hosts.length} hosts: ${rest.join(', ')}`];
}

function hostLines(hosts: HostProgress[], now: number, c: Palette, columns: number, all = hosts): string[] {
  const nameW = Math.max(4, ...all.map((h) => h.host.length));
  const countW = Math.max(...all.map((h) => `${h.total}/${h.total}`.length));
  return hosts.map((h) => {
    const t = elapsedSeconds(h, now);
    const time = t === undefined ? '' : secs(t).padStart(7);
    const count = `${h.done}/${h.total}`.padStart(countW);
    // mark, name, bar, count, what, time with their gaps; one column spare so a line never wraps
    // (a wrapped line would throw off the cursor moves that redraw the block).
    const room = Math.min(60, Math.max(10, columns - (nameW + countW + 29) - 1));
    let what: string;
    let paint: (s: string) => string = (s) => s;
    switch (h.status) {
      case 'waiting':
        what = 'waiting';
        paint = c.dim;
        break;
      case 'running':
        what = h.current
          ? `${doing(h.current.action)} ${h.current.address}`
          : h.done === 0
            ? 'connecting'
            : h.done === h.total
              ? 'finishing'
              : 'working';
        break;
      case 'ok':
        what = 'done';
        paint = c.green;
        break;
      case 'failed':
        what = `failed: ${h.error ?? ''}`;
        paint = c.red;
        break;
      case 'skipped':
        what = `not started (${h.error ?? 'interrupted'})`;
        paint = c.yellow;
        break;
    }
    const mark = h.status === 'ok' ? c.green('✓') : h.status === 'failed' ? c.red('✗') : h.status === 'running' ? c.yellow('›') : ' ';
    return `${mark} ${c.bold(h.host.padEnd(nameW))}  [${bar(h.done, h.total, 10)}]  ${count}  ${paint(fit(what, room).padEnd(room))}  ${c.dim(time)}`.trimEnd();
  });
}
