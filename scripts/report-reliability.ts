// `npm run report`: runs the reliability and security tests (and the older tests they build on)
// with Node's test runner, reads its events, and writes docs/reliability.md from that run: one
// row per case with the faults survived, bad inputs tried, attacks refused and data lost.
// Tests report their counts with a `tvd-report {json}` diagnostic (test/reliability/fault-kit.ts);
// the older tests are counted from their names. A failed test shows as failed, and its data-lost
// cell as unknown. Exit 1 unless every case passed and no data was lost.
import { run } from 'node:test';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const OUT = join(ROOT, 'docs/reliability.md');

type Area = 'fault' | 'bad input' | 'attack';
interface Row {
  area: Area;
  name: string;
  file: string;
  result: 'passed' | 'FAILED' | 'skipped';
  faults?: number;
  badInputs?: number;
  attacksRefused?: number;
  dataLost?: number;
  note?: string;
  error?: string;
}

/** Earlier tests this report builds on: which of their cases count, as what, and how to count them from the name. */
const REFERENCED: { file: string; pick: RegExp; area: Area; count?: (name: string) => Partial<Row> }[] = [
  {
    file: 'test/state/store.test.js',
    pick: /killed with SIGKILL/,
    area: 'fault',
    count: (n) => ({
      faults: num(/\((\d+) kills\)/, n),
      dataLost: 0,
      note: 'kill -9 during state writes (the loop of interrupted writes)',
    }),
  },
  { file: 'test/state/store.test.js', pick: /corrupt state|invalid state/, area: 'bad input', count: () => ({ dataLost: 0 }) },
  { file: 'test/state/lock.test.js', pick: /racing|stale|someone else took/, area: 'fault', count: () => ({ dataLost: 0 }) },
  {
    file: 'test/state/postgres-backend.test.js',
    pick: /racing|SIGKILL|lost a race|restarting/,
    area: 'fault',
    count: () => ({ faults: 1, dataLost: 0 }),
  },
  { file: 'test/state/postgres-backend.test.js', pick: /password/, area: 'attack', count: () => ({ attacksRefused: 3 }) },
  { file: 'test/state/backend-choice.test.js', pick: /password in its URL/, area: 'attack', count: () => ({ attacksRefused: 1 }) },
  {
    file: 'test/apply/host-lock.test.js',
    pick: /wait for a writer/,
    area: 'fault',
    count: () => ({ dataLost: 0, note: 'the host lock scripts, for real, in a private mount namespace' }),
  },
  {
    file: 'test/render/unsafe.test.js',
    pick: /./,
    area: 'attack',
    count: () => ({ note: 'second line of defence: rendering with validation bypassed' }),
  },
  {
    file: 'test/topology/fuzz.test.js',
    pick: /fuzz/,
    area: 'bad input',
    count: (n) => ({ badInputs: num(/(\d[\d,]*) seeded/, n), note: 'YAML-level fuzz of loadTopology' }),
  },
];

/** The end of a failure message, where the cause usually is (assert messages often start with a whole output). */
function lastLines(message: string): string {
  return message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-3)
    .join(' / ')
    .slice(-300);
}

function num(re: RegExp, s: string): number | undefined {
  const m = re.exec(s);
  return m ? Number(m[1].replace(/,/g, '')) : undefined;
}

function testFiles(dir: string): string[] {
  try {
    return readdirSync(join(DIST, dir))
      .filter((f) => f.endsWith('.test.js'))
      .sort()
      .map((f) => join(DIST, dir, f));
  } catch {
    return [];
  }
}

interface TestEvent {
  type: string;
  data: {
    name?: string;
    nesting?: number;
    file?: string;
    message?: string;
    skip?: unknown;
    details?: { error?: { message?: string; cause?: unknown } };
  };
}

async function collect(): Promise<Row[]> {
  const own = [...testFiles('test/reliability'), ...testFiles('test/security')];
  const referenced = [...new Set(REFERENCED.map((r) => join(DIST, r.file)))];
  const rows: Row[] = [];
  const lastByFile = new Map<string, Row>();
  const stream = run({ files: [...own, ...referenced], concurrency: Math.max(1, Math.min(2, cpus().length)) });
  for await (const e of stream as AsyncIterable<TestEvent>) {
    const d = e.data;
    const file = d.file ? relative(DIST, d.file) : '';
    if ((e.type === 'test:pass' || e.type === 'test:fail') && d.nesting === 0 && file) {
      const result = e.type === 'test:fail' ? 'FAILED' : d.skip !== undefined ? 'skipped' : 'passed';
      const cause = d.details?.error?.cause;
      const error =
        e.type === 'test:fail'
          ? lastLines(String((cause as Error | undefined)?.message ?? cause ?? d.details?.error?.message ?? ''))
          : undefined;
      let row: Row | undefined;
      if (file.startsWith('test/reliability/') || file.startsWith('test/security/')) {
        row = { area: file.startsWith('test/reliability/') ? 'fault' : 'attack', name: d.name ?? '?', file, result, error };
      } else {
        const ref = REFERENCED.find((r) => r.file === file && r.pick.test(d.name ?? ''));
        if (ref) row = { area: ref.area, name: d.name ?? '?', file, result, error, ...ref.count?.(d.name ?? '') };
      }
      if (row) {
        if (row.result === 'FAILED') row.dataLost = undefined;
        rows.push(row);
        lastByFile.set(file, row);
      }
    } else if (e.type === 'test:diagnostic' && file && d.message?.startsWith('tvd-report ')) {
      // A test's diagnostics arrive right after its own pass or fail.
      const row = lastByFile.get(file);
      if (row) {
        const r = JSON.parse(d.message.slice('tvd-report '.length)) as Partial<Row>;
        Object.assign(row, { ...r, dataLost: row.result === 'FAILED' ? (r.dataLost ? r.dataLost : undefined) : r.dataLost });
      }
    }
  }
  return rows;
}

const cell = (n: number | undefined) => (n === undefined ? '–' : String(n));
const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function render(rows: Row[], started: Date, seconds: number): string {
  const sum = (k: 'faults' | 'badInputs' | 'attacksRefused' | 'dataLost') => rows.reduce((s, r) => s + (r[k] ?? 0), 0);
  const failed = rows.filter((r) => r.result === 'FAILED');
  const unknownLoss = rows.filter((r) => r.result === 'FAILED' && (r.area === 'fault' || r.dataLost !== undefined)).length;
  const order: Area[] = ['fault', 'bad input', 'attack'];
  const sorted = [...rows].sort((a, b) => order.indexOf(a.area) - order.indexOf(b.area) || a.file.localeCompare(b.file));
  const lines = [
    '# Reliability and security: what was tried, and what it cost',
    '',
    `<!-- Written by \`npm run report\` (scripts/report-reliability.ts) from a real test run; do not edit by hand. -->`,
    '',
    `Run ${started.toISOString().replace(/\.\d+Z$/, 'Z')}, Node ${process.version}, ${cpus().length} CPUs, ${seconds.toFixed(0)} s. ` +
      `${rows.length} cases: ${rows.filter((r) => r.result === 'passed').length} passed, ${failed.length} failed, ${rows.filter((r) => r.result === 'skipped').length} skipped.`,
    '',
    `**Totals:** ${sum('faults')} faults survived, ${sum('badInputs')} bad inputs tried, ${sum('attacksRefused')} attacks refused, ` +
      `**${sum('dataLost')} data lost**${unknownLoss ? ` (and ${unknownLoss} failed case(s) whose loss is unknown)` : ''}.`,
    '',
    '"Data lost" counts runs after which the state file was invalid, or untrue to the hosts: a resource',
    'the state calls applied that its host does not hold with those attributes, or one a host holds that',
    'the state does not know (a step cut short is recorded as *tainted*: the state does not claim to',
    'know how far it got, and the next apply replaces it). The fault tests check this on the lab hosts',
    'themselves (test/reliability/fault-kit.ts, `stateTruth`). "–" means the case does not count that.',
    '',
    '| area | case | result | faults survived | bad inputs tried | attacks refused | data lost | test file |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...sorted.map(
      (r) =>
        `| ${r.area} | ${esc(r.name)}${r.note ? ` <br>*${esc(r.note)}*` : ''}${r.error ? ` <br>**${esc(r.error)}**` : ''} | ${r.result} | ${cell(r.faults)} | ${cell(r.badInputs)} | ${cell(r.attacksRefused)} | ${r.result === 'FAILED' && r.dataLost === undefined ? '?' : cell(r.dataLost)} | \`${r.file.replace(/\.js$/, '.ts')}\` |`,
    ),
    '',
    '## How each fault is made',
    '',
    '- **sshd killed**: every sshd process of one lab host (found by its network namespace) gets SIGKILL while',
    "  that host's bundle is held at its first `xl create` (the lab's xl waits while `/run/xl/lock` names a",
    '  live process), so the kill lands after some steps and before others. `lab/sshd-control.ts` starts sshd',
    "  again as the host's anchor does.",
    '- **uplink cut**: `ip link set eth0 down` in the host at the same point. No RST ever comes back; SSH',
    '  keepalives (every connect-timeout/4, three unanswered = lost) end the run. The state is checked while',
    '  the host is still held: it is exactly what the host did.',
    '- **tvd killed** (SIGKILL, as by the OOM killer): every step is written to the state as tainted when it',
    '  begins, before the host can finish it, so the state stays true whatever the host completes before it',
    '  notices (its next line of output fails). The lock stays behind and is reported as stale, with the',
    '  `tvd force-unlock` command that removes it.',
    '- **SIGINT**: once while a host is held (no new host starts, the running one finishes, exit 130), then twice',
    '  (tvd records what it knows and exits at once, the host still mid-bundle). The lock is released both times.',
    '- **second apply**: an apply and a destroy started while an apply holds the lock are refused with the',
    "  holder's lock ID, user, pid, operation and start time, and write nothing.",
    '- **an abandoned bundle still running** (`host-lock.test.ts`): tvd is SIGKILLed while its bundle is held at a step; the',
    '  stale state lock is removed, and the next apply starts while the bundle still runs. Every script tvd runs on a host',
    "  takes `flock` on `/run/tvd/lock` (shared to read, exclusive to change), so that apply's refresh waits: with",
    '  `--host-lock-timeout 1` it fails naming the abandoned run (its user, machine, pid and lock ID, and the pid of its',
    '  script on the host) and writes nothing; one that waits goes on as soon as the bundle ends, and converges.',
    '- **PostgreSQL state** (`postgres-backend.test.ts`, a throwaway cluster started by the test): two `tvd apply` from two',
    '  working folders race for one state (one wins, the other names it); the lock holder gets SIGKILL mid-bundle (its',
    '  advisory lock is free as soon as PostgreSQL ends its session, the state is its last commit, and the next apply is',
    '  kept off the host by the host lock until the abandoned bundle ends); the database restarts mid-apply (`pg_ctl',
    '  restart -m fast`: the run fails naming the database, cuts its hosts off, the state is the last commit and claims',
    '  nothing false, the next apply converges); a saved plan made in one folder is refused there after another applied.',
    '  No output holds the password. `test/state/postgres-backend.test.ts` covers the same without a lab, and a write',
    '  that lost a race: refused in the transaction that would have written it.',
    '- **kill -9 during a state write**: `test/state/store.test.ts` kills a writer at random moments, many times;',
    '  the state is written to a temp file, fsynced and renamed, so it is always the old or the new one.',
    "- **a Dom0 script fails**: a link squats on the bridge's name; that host stops at its vswitch, nothing",
    '  after it runs, and `tvd plan` shows exactly the rest.',
    '',
    '## What is not covered yet',
    '',
    "- A host that loses tvd *silently* (link cut, tvd's machine gone) keeps its SSH session until its own",
    '  sshd notices, and its bundle carries on meanwhile: steps after the one under way can be done on the',
    '  host without being in the state. The next refresh adopts them: records a host holds and the state lacks',
    '  are read back (`src/refresh/orphans.ts`), the plan shows them, and apply keeps them (the state learns them)',
    '  or runs their `down` scripts (`test/apply/orphans.test.ts`). A run that starts while such a bundle still',
    '  runs now waits for the host lock (above). Not covered: a bundle that hangs inside a step for longer than',
    '  `--host-lock-timeout` keeps every later run off its host until it ends or is killed on the host; and the',
    '  boot unit (`boot.sh`, run by systemd after a reboot) takes no host lock.',
    "- PostgreSQL frees a vanished client's lock when TCP keepalive gives up on it (tvd sets 30 s idle, 3 probes",
    '  10 s apart, about a minute); a network cut between tvd and the database was not tested.',
    '',
    '## Attacks and bad input',
    '',
    '- Host keys (via the CLI, on a lab host): unknown refused unless `--trust-new-hosts`, changed and revoked',
    '  refused even with it. Injection: hostile values in every place of a topology, refused by validation;',
    '  the renderer refuses them again when validation is bypassed (`test/render/unsafe.test.ts`).',
    '- No secrets in plans, the state, `show` or `--verbose` output; files on hosts have their modes and',
    '  owners and are written through a temp file and a rename; a hand-edited `xl.cfg` cannot move a VM',
    '  onto another TVD (the vif hook decides from the proxy policy).',
    '- Fuzzing: `npm run fuzz` runs 10,000 seeded bad topologies through validation, the planner (with',
    '  generated capability models) and the renderer, with sockets stubbed; the suite runs 500 of them.',
    '',
  ];
  return lines.join('\n');
}

const started = new Date();
const t0 = Date.now();
const rows = await collect();
const doc = render(rows, started, (Date.now() - t0) / 1000);
writeFileSync(OUT, doc);
const failed = rows.filter((r) => r.result === 'FAILED');
const lost = rows.reduce((s, r) => s + (r.dataLost ?? 0), 0);
process.stdout.write(`wrote ${relative(ROOT, OUT)}: ${rows.length} cases, ${failed.length} failed, ${lost} data lost\n`);
for (const f of failed) process.stdout.write(`  FAILED ${f.file}: ${f.name}${f.error ? `: ${f.error}` : ''}\n`);
process.exitCode = failed.length === 0 && lost === 0 && rows.length > 0 ? 0 : 1;
