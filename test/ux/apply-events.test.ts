// apply and destroy on a lab, as a machine, a pipe and a person see them: --json events parse
// line by line and add up; piped output is one plain line per host event; at a terminal (a pty
// from `script`) the prompt accepts only `yes` and the live block is drawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canRunLab, LAB_SKIP_REASON, withLab } from '../../lab/api.js';
import { exampleOnLab } from '../support/example.js';
import { labArgs, tvd, TVD_MAIN } from '../support/tvd-cli.js';
import { shQuote } from '../../src/shell/quote.js';

const PREFIX = `ux9${process.pid % 1000}`;
const TYPES = new Set(['host-start', 'step-begin', 'step-ok', 'step-fail', 'host-done', 'host-skipped', 'summary']);

/** Runs tvd on a pseudo-terminal (util-linux `script`), answering `answer` once it is asked. */
function tvdAtTerminal(args: string[], answer: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const cmd = [process.execPath, TVD_MAIN, ...args].map(shQuote).join(' ');
    const child = spawn('script', ['-qec', cmd, '/dev/null'], {
      env: { ...process.env, NO_COLOR: '1', CI: '', TERM: 'xterm', COLUMNS: '100' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let answered = false;
    child.stdout.on('data', (d) => {
      out += d;
      if (!answered && out.includes('Enter a value:')) {
        answered = true;
        child.stdin.write(answer + '\n');
      }
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code: code ?? 1, out: out.replace(/\r/g, '') });
    });
  });
}

test('apply/destroy: --json events, plain lines when piped, the prompt at a terminal accepts only yes', {
  skip: canRunLab() ? false : LAB_SKIP_REASON,
  timeout: 600_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-ux9-'));
  try {
    await withLab({ hosts: 1, prefix: PREFIX }, async (lab) => {
      const state = join(dir, 'state.json');
      const args = labArgs(lab, state);
      const { path } = exampleOnLab('single-host', lab, dir);

      // --json: every stdout line is one JSON event; they add up to the summary.
      const applied = await tvd(['apply', path, '--auto-approve', '--json', ...args]);
      assert.equal(applied.code, 0, applied.stderr);
      const events = applied.stdout
        .trimEnd()
        .split('\n')
        .map((l, i) => {
          try {
            return JSON.parse(l) as {
              type: string;
              host?: string;
              done?: number;
              total?: number;
              action?: string;
              ok?: boolean;
              added?: number;
            };
          } catch {
            assert.fail(`stdout line ${i + 1} is not JSON: ${l}`);
          }
        });
      assert.ok(
        events.every((e) => TYPES.has(e.type)),
        [...new Set(events.map((e) => e.type))].join(','),
      );
      const host = lab.hosts[0].name;
      assert.equal(events[0].type, 'host-start');
      const oks = events.filter((e) => e.type === 'step-ok');
      assert.ok(oks.length > 0);
      assert.deepEqual(
        oks.map((e) => e.done),
        oks.map((_, i) => i + 1),
        'done counts up by one per step',
      );
      assert.equal(oks.at(-1)!.done, events[0].total);
      const { time, ...done } = events.at(-2) as { time?: string };
      assert.deepEqual(done, { type: 'host-done', host, ok: true, done: oks.length, total: oks.length });
      assert.match(time ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'JSON events carry a timestamp');
      const summary = events.at(-1)!;
      assert.equal(summary.type, 'summary');
      assert.equal(summary.ok, true);
      assert.equal(summary.added, oks.filter((e) => e.action === 'create').length);

      const again = await tvd(['plan', path, '--detailed-exitcode', ...args]);
      assert.equal(again.code, 0, 'nothing left to do');
      assert.match(again.stderr, new RegExp(`^${host}: read \\(\\d+\\.\\ds\\)\n$`), 'reading the hosts: one line per host on stderr');

      // At a terminal, destroy asks; anything but `yes` cancels and changes nothing.
      for (const answer of ['no', 'y', 'YES']) {
        const r = await tvdAtTerminal(['destroy', path, ...args], answer);
        assert.equal(r.code, 1, r.out);
        assert.match(
          r.out,
          /Do you really want to destroy everything tvd made on these hosts\?\n {2}Only 'yes' will be accepted to approve\.\n\n {2}Enter a value: /,
        );
        assert.match(r.out, /Destroy cancelled\./);
        const shown = await tvd(['show', '--json', '--state', state]);
        assert.equal((JSON.parse(shown.stdout) as { resources: unknown[] }).resources.length, oks.length, `after answering ${answer}`);
      }
      const yes = await tvdAtTerminal(['destroy', path, ...args], 'yes');
      assert.equal(yes.code, 0, yes.out);
      assert.match(yes.out, /\x1b\[\d+A/, 'the live block is redrawn in place at a terminal');
      assert.match(yes.out, new RegExp(`✓ ${host} +\\[#{10}\\] +${oks.length}/${oks.length} +done`));
      assert.match(yes.out, /Destroy complete! Resources: 0 added, 0 changed, \d+ destroyed\./);

      // Piped (not a terminal): one plain line per host event, no cursor moves.
      const piped = await tvd(['apply', path, '--auto-approve', ...args]);
      assert.equal(piped.code, 0, piped.stderr);
      assert.doesNotMatch(piped.stdout, /\x1b\[/);
      const progress = piped.stdout.split('\n').filter((l) => l.startsWith(`${host}: `));
      assert.equal(progress[0], `${host}: starting, ${oks.length} steps`);
      assert.equal(
        progress.filter((l) =>
          new RegExp(`^${host}: \\[\\d+/${oks.length}\\] ${host}/[a-z]+/[a-z0-9-]+ created \\(\\d+\\.\\ds\\)$`).test(l),
        ).length,
        oks.length,
        progress.join('\n'),
      );
      assert.match(progress.at(-1)!, new RegExp(`^${host}: done, ${oks.length}/${oks.length} \\(\\d+\\.\\ds\\)$`));

      // destroy --json: the summary counts what went.
      const destroyed = await tvd(['destroy', path, '--auto-approve', '--json', ...args]);
      assert.equal(destroyed.code, 0, destroyed.stderr);
      const last = JSON.parse(destroyed.stdout.trimEnd().split('\n').at(-1)!) as {
        type: string;
        verb: string;
        destroyed: number;
        ok: boolean;
      };
      assert.deepEqual([last.type, last.verb, last.ok, last.destroyed], ['summary', 'destroy', true, oks.length]);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
