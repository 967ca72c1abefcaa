// The progress display of apply and destroy. At a terminal: a block with one line per host,
// redrawn in place (host, bar, done/total, the step under way, time). In CI or a pipe: one plain
// line per host event. With --json: every ApplyEvent as one JSON line, then a summary line.
import type { ApplyEvent } from '../apply/apply-plan.js';
import type { Palette } from './palette.js';
import { applyEvent, initialProgress, type ProgressModel } from './progress-model.js';
import { blockLines, plainLine } from './progress-text.js';

export type ProgressMode = 'live' | 'plain' | 'json' | 'quiet';

export interface ApplySummary {
  type: 'summary';
  verb: 'apply' | 'destroy';
  ok: boolean;
  added: number;
  changed: number;
  destroyed: number;
  failures: { host: string; message: string }[];
  skipped: string[];
  seconds: number;
}

export interface Progress {
  event(e: ApplyEvent): void;
  /** Text that must not be overwritten by the live block (e.g. the Ctrl-C notice). */
  note(text: string, stream?: NodeJS.WriteStream): void;
  /** Stop redrawing; in JSON mode, write the summary line. */
  finish(summary: ApplySummary): void;
}

export function progressMode(o: { json?: boolean; quiet?: boolean }, isTTY = !!process.stdout.isTTY, env = process.env): ProgressMode {
  if (o.json) return 'json';
  if (o.quiet) return 'quiet';
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return isTTY && !ci && env.TERM !== 'dumb' ? 'live' : 'plain';
}

export interface ProgressOptions {
  mode: ProgressMode;
  /** The hosts of the plan with their number of steps, in the order to show them. */
  hosts: [string, number][];
  palette: Palette;
  out?: NodeJS.WriteStream;
  now?: () => number;
}

export function createProgress(o: ProgressOptions): Progress {
  const out = o.out ?? process.stdout;
  const now = o.now ?? Date.now;
  const c = o.palette;
  let model: ProgressModel = initialProgress(o.hosts);
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  let pending: NodeJS.Timeout | undefined;

  const draw = () => {
    pending = undefined;
    const lines = blockLines(model, now(), c, out.columns || 100, out.rows || 24);
    let s = drawn ? `\x1b[${drawn}A` : '';
    for (const l of lines) s += `\r\x1b[2K${l}\n`;
    // The block may have shrunk (few hosts still running): clear what is below it.
    out.write(s + '\x1b[J');
    drawn = lines.length;
  };
  const soon = () => (pending ??= setTimeout(draw, 50));
  const clear = () => {
    if (!drawn) return;
    let s = `\x1b[${drawn}A`;
    for (let i = 0; i < drawn; i++) s += '\r\x1b[2K\n';
    out.write(s + `\x1b[${drawn}A`);
    drawn = 0;
  };

  if (o.mode === 'live') {
    draw();
    // The elapsed times move even while no event arrives.
    timer = setInterval(draw, 250);
    timer.unref();
  }

  return {
    event(e) {
      model = applyEvent(model, e, now());
      const h = model.hosts.find((x) => x.host === e.host);
      if (o.mode === 'json') out.write(JSON.stringify(stamped(e, now())) + '\n');
      else if (o.mode === 'live') soon();
      else if (o.mode === 'plain') {
        const line = plainLine(e, h, now(), c);
        if (line) out.write(line + '\n');
      }
    },
    note(text, stream = process.stderr) {
      if (o.mode === 'live') clear();
      stream.write(text);
      if (o.mode === 'live') draw();
    },
    finish(summary) {
      if (timer) clearInterval(timer);
      if (pending) clearTimeout(pending);
      if (o.mode === 'live') draw();
      if (o.mode === 'json') out.write(JSON.stringify(stamped(summary, now())) + '\n');
    },
  };
}

/** An event as a JSON line carries when it happened (the apply's events themselves are pure). */
export function stamped<T extends object>(e: T, at: number): T & { time: string } {
  return { ...e, time: new Date(at).toISOString() };
}

/** The summary of a run that had nothing to do. */
export function noChangeSummary(verb: 'apply' | 'destroy'): ApplySummary {
  return { type: 'summary', verb, ok: true, added: 0, changed: 0, destroyed: 0, failures: [], skipped: [], seconds: 0 };
}
