// The progress display, fed events by hand (pure): plain lines per host event, a live block that
// never wraps, JSON events; and which mode a run gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { ApplyEvent } from '../../src/apply/apply-plan.js';
import { applyEvent, initialProgress } from '../../src/cli/progress-model.js';
import { blockLines, plainLine } from '../../src/cli/progress-text.js';
import { createProgress, progressMode } from '../../src/cli/progress.js';
import { palette } from '../../src/cli/palette.js';
import { refreshLine } from '../../src/cli/progress-refresh.js';

const plain = palette(false);
const events: ApplyEvent[] = [
  { type: 'host-start', host: 'h1', total: 2 },
  { type: 'step-begin', host: 'h1', address: 'h1/vswitch/web', action: 'create', done: 0, total: 2 },
  { type: 'step-ok', host: 'h1', address: 'h1/vswitch/web', action: 'create', done: 1, total: 2 },
  { type: 'step-begin', host: 'h1', address: 'h1/vm/web-1', action: 'replace', done: 1, total: 2 },
  { type: 'step-fail', host: 'h1', address: 'h1/vm/web-1', action: 'replace', code: '3' },
  { type: 'host-done', host: 'h1', ok: false, error: 'h1/vm/web-1 failed', done: 1, total: 2 },
  { type: 'host-skipped', host: 'h2', reason: 'interrupted' },
];

test('plain mode: one line per host event, with host, done/total and time', () => {
  let m = initialProgress([
    ['h1', 2],
    ['h2', 3],
  ]);
  const lines: string[] = [];
  events.forEach((e, i) => {
    m = applyEvent(m, e, 1000 + i * 500);
    const l = plainLine(
      e,
      m.hosts.find((h) => h.host === e.host),
      1000 + i * 500,
      plain,
    );
    if (l) lines.push(l);
  });
  assert.deepEqual(lines, [
    'h1: starting, 2 steps',
    'h1: [1/2] h1/vswitch/web created (1.0s)',
    'h1: h1/vm/web-1 failed (exit 3) (2.0s)',
    'h1: failed after 1/2 (2.5s)',
    'h2: not started (interrupted)',
  ]);
});

test('live block: one line per host, what it does now, and never wider than the terminal', () => {
  let m = initialProgress([
    ['h1', 2],
    ['a-very-long-host-name-indeed', 3],
  ]);
  m = applyEvent(m, events[0], 0);
  m = applyEvent(m, events[1], 0);
  const lines = blockLines(m, 1500, plain, 100);
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^› h1 +\[\.{10}\] +0\/2 +creating h1\/vswitch\/web +1\.5s$/);
  assert.match(lines[1], /^ {2}a-very-long-host-name-indeed +\[\.{10}\] +0\/3 +waiting/);
  for (const w of [80, 100, 200]) {
    for (const l of blockLines(m, 1500, plain, w)) assert.ok([...l].length < w, `width ${w}: ${l.length} >= ${w}`);
  }
  for (const e of events.slice(2)) m = applyEvent(m, e, 3000);
  const end = blockLines(m, 9000, plain, 100);
  assert.match(end[0], /^✗ h1 .* 1\/2 +failed: h1\/vm\/web-1 failed +3\.0s$/);
  assert.match(end[2], /^ {2}h2 .* +not started \(interrupted\)/, 'a host the plan did not list still shows');
});

test('--json: every event is one JSON line, then the summary', () => {
  let text = '';
  const out = new Writable({ write: (chunk, _e, cb) => ((text += chunk), cb()) }) as unknown as NodeJS.WriteStream;
  const p = createProgress({ mode: 'json', hosts: [['h1', 2]], palette: plain, out, now: () => 0 });
  for (const e of events) p.event(e);
  p.finish({
    type: 'summary',
    verb: 'apply',
    ok: false,
    added: 1,
    changed: 0,
    destroyed: 0,
    failures: [{ host: 'h1', message: 'x' }],
    skipped: ['h2'],
    seconds: 1,
  });
  const parsed = text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; time: string });
  assert.deepEqual(
    parsed.slice(0, -1),
    events.map((e) => ({ ...e, time: '1970-01-01T00:00:00.000Z' })),
    'each event with when it happened',
  );
  assert.equal(parsed.at(-1)!.type, 'summary');
  assert.equal(parsed.at(-1)!.time, '1970-01-01T00:00:00.000Z');
});

test('mode: json and quiet win; a terminal gets the live block unless CI or TERM=dumb', () => {
  assert.equal(progressMode({ json: true }, true, {}), 'json');
  assert.equal(progressMode({ quiet: true }, true, {}), 'quiet');
  assert.equal(progressMode({}, true, {}), 'live');
  assert.equal(progressMode({}, false, {}), 'plain');
  assert.equal(progressMode({}, true, { CI: 'true' }), 'plain');
  assert.equal(progressMode({}, true, { CI: 'false' }), 'live');
  assert.equal(progressMode({}, true, { TERM: 'dumb' }), 'plain');
});

test('reading the hosts: one line with a bar, the count, the time and who is awaited', () => {
  assert.equal(refreshLine(4, ['h3', 'h4'], 1.25, plain), 'Reading hosts [#####.....] 2/4  1.3s  waiting for h3, h4');
  assert.equal(refreshLine(2, [], 2, plain), 'Reading hosts [##########] 2/2  2.0s');
  const many = Array.from({ length: 50 }, (_, i) => `host-${i}`);
  assert.ok(refreshLine(50, many, 0, plain, 80).length < 80);
});

test('a block taller than the terminal shows the running and failed hosts and counts the rest', () => {
  const hosts = Array.from({ length: 40 }, (_, i) => `h${i + 1}`);
  let m = initialProgress(hosts.map((h) => [h, 3]));
  for (const h of hosts.slice(0, 30)) {
    m = applyEvent(m, { type: 'host-start', host: h, total: 3 }, 0);
    m = applyEvent(m, { type: 'host-done', host: h, ok: h !== 'h7', error: h === 'h7' ? 'boom' : undefined, done: 3, total: 3 }, 1000);
  }
  for (const h of hosts.slice(30, 33))
    m = applyEvent(m, { type: 'step-begin', host: h, address: `${h}/vm/x`, action: 'create', done: 1, total: 3 }, 1000);
  const lines = blockLines(m, 2000, plain, 100, 24);
  assert.ok(lines.length <= 22, `${lines.length} lines fit a 24-row terminal`);
  assert.deepEqual(
    lines.map((l) => l.trim().split(/\s+/)[1]),
    ['h7', 'h31', 'h32', 'h33', 'hosts:'],
  );
  assert.equal(lines.at(-1), '  40 hosts: 29 done, 1 failed, 3 running, 7 waiting');
  assert.equal(blockLines(m, 2000, plain, 100, 100).length, 40, 'a tall terminal shows every host');
});
