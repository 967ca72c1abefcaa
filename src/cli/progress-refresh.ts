// Progress while plan, apply and destroy read the hosts (probe, manifest, observation) before
// planning. On stderr, so `plan --json` keeps a clean stdout: at a terminal one line redrawn in
// place; in CI or a pipe one plain line per host.
import type { Palette } from './palette.js';
import type { ProgressMode } from './progress.js';
import { secs } from './progress-text.js';
import type { RefreshEvent } from '../refresh/prepare-plan.js';

/** The one live line: how many hosts are read, and which are still awaited. Pure. */
export function refreshLine(total: number, pending: string[], seconds: number, c: Palette, columns = 100): string {
  const done = total - pending.length;
  const full = total === 0 ? 10 : Math.round((done / total) * 10);
  const waiting = pending.length ? `  waiting for ${pending.join(', ')}` : '';
  const line = `Reading hosts [${'#'.repeat(full)}${'.'.repeat(10 - full)}] ${done}/${total}  ${secs(seconds)}${waiting}`;
  return c.dim(line.length < columns ? line : line.slice(0, columns - 4) + '...');
}

export function refreshProgress(
  mode: ProgressMode,
  c: Palette,
  out: NodeJS.WriteStream = process.stderr,
  now = Date.now,
): (e: RefreshEvent) => void {
  let started = now();
  let total = 0;
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const draw = () => out.write(`\r\x1b[2K${refreshLine(total, pending, (now() - started) / 1000, c, out.columns || 100)}`);
  return (e) => {
    if (mode === 'json' || mode === 'quiet') return;
    if (e.type === 'start') {
      started = now();
      total = e.hosts.length;
      pending = [...e.hosts];
      if (mode === 'live' && total > 0) {
        draw();
        timer = setInterval(draw, 250);
        timer.unref();
      }
      return;
    }
    pending = pending.filter((h) => h !== e.host);
    const t = c.dim(`(${secs((now() - started) / 1000)})`);
    if (mode === 'plain') out.write(e.error ? `${c.bold(e.host)}: ${c.red('not read')} ${t}\n` : `${c.bold(e.host)}: read ${t}\n`);
    else {
      draw();
      if (pending.length === 0) {
        clearInterval(timer);
        out.write('\r\x1b[2K');
      }
    }
  };
}
