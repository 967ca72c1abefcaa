// Writes the pictures under docs/img/: each example's graph with its flow matrix (SVG, no system
// Graphviz needed), and with --progress a screenshot of `tvd apply` at a terminal: a real apply
// on a lab, typed into a shell inside tmux, captured with `tmux capture-pane -e` and drawn as SVG
// (needs root for the lab, and tmux).
// Usage: node dist/scripts/gen-pictures.js [--progress] [ROOT]
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadTopology } from '../src/topology/load.js';
import { topologyGraph } from '../src/graph/model.js';
import { toDot } from '../src/graph/dot.js';
import { besideMatrix, dotToSvg } from '../src/graph/svg.js';
import { ansiToSvg } from './ansi-svg.js';

const ROOT_DEFAULT = fileURLToPath(new URL('../..', import.meta.url));

/** The pictures of the examples, by file name under docs/img/. */
export async function examplePictures(root = ROOT_DEFAULT): Promise<Map<string, string>> {
  const pictures = new Map<string, string>();
  const dir = join(root, 'examples');
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'topology.yaml');
    if (!existsSync(file)) continue;
    const loaded = loadTopology(file);
    if (!loaded.ok) throw new Error(`${file} is not valid`);
    const g = topologyGraph(loaded.topology);
    pictures.set(`${name}.svg`, besideMatrix(await dotToSvg(toDot(g)), g.matrix));
    if (name === 'paper-figure-1') pictures.set(`${name}-closed.svg`, besideMatrix(await dotToSvg(toDot(g, { closed: true })), g.matrix));
  }
  return pictures;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function progressScreenshot(root: string, out: string): Promise<void> {
  const { withLab } = await import('../lab/api.js');
  const { fitTopology } = await import('../lab/fit-topology.js');
  const yaml = (await import('js-yaml')).default;
  const { readFileSync } = await import('node:fs');
  const prefix = `pic${process.pid % 1000}`;
  const session = `tvd-pic-${process.pid}`;
  const work = mkdtempSync(join(tmpdir(), 'tvd-pic-'));
  const cols = 100;
  const rows = 14;
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  try {
    await withLab({ hosts: 3, segments: 2, prefix }, async (lab) => {
      const t = fitTopology(yaml.load(readFileSync(join(root, 'examples/three-hosts/topology.yaml'), 'utf8')) as never, lab);
      writeFileSync(join(work, 'topology.yaml'), yaml.dump(t, { lineWidth: 200 }));
      // `tvd` on PATH with the lab's key and known_hosts, so the typed command is the real one.
      mkdirSync(join(work, 'bin'));
      const main = join(root, 'dist/bin/tvd/main.js');
      writeFileSync(
        join(work, 'bin/tvd'),
        `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(main)} "$@" --state ${work}/state.json --known-hosts ${lab.knownHosts} --identity ${lab.identity}\n`,
      );
      chmodSync(join(work, 'bin/tvd'), 0o755);
      execFileSync(join(work, 'bin/tvd'), ['plan', 'topology.yaml', '--out', 'tvd.plan', '--quiet'], {
        cwd: work,
        env: { ...process.env, NO_COLOR: '1' },
      });
      tmux(
        'new-session',
        '-d',
        '-s',
        session,
        '-x',
        String(cols),
        '-y',
        String(rows),
        '-c',
        work,
        'env',
        '-u',
        'NO_COLOR',
        '-u',
        'CI',
        `PATH=${work}/bin:${process.env.PATH}`,
        'PS1=$ ',
        'TERM=xterm-256color',
        'bash',
        '--norc',
        '--noprofile',
      );
      await sleep(300);
      tmux('send-keys', '-t', session, 'clear', 'Enter');
      await sleep(300);
      tmux('send-keys', '-t', session, 'tvd apply tvd.plan', 'Enter');
      // Keep the capture that shows the most hosts under way with work done, then the end.
      let best = '';
      let bestScore = -1;
      for (let i = 0; i < 300; i++) {
        await sleep(100);
        const cap = tmux('capture-pane', '-p', '-e', '-t', session);
        const plain = cap.replace(/\x1b\[[0-9;]*m/g, '');
        if (/complete!|failed/.test(plain)) {
          writeFileSync(join(out, 'apply-done.svg'), ansiToSvg(cap, { columns: cols, title: 'tvd apply: finished' }));
          break;
        }
        const running = plain.split('\n').filter((l) => /^› .*\[[#.]+\]\s+[1-9]/.test(l)).length;
        const done = plain.split('\n').filter((l) => l.startsWith('✓ ')).length;
        const score = running * 2 + done;
        if (score > bestScore) [best, bestScore] = [cap, score];
      }
      if (!best) throw new Error('no progress was captured');
      writeFileSync(join(out, 'apply-progress.svg'), ansiToSvg(best, { columns: cols, title: 'tvd apply: at a terminal' }));
    });
  } finally {
    try {
      execFileSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const root = args.find((a) => !a.startsWith('--')) ?? ROOT_DEFAULT;
  const out = join(root, 'docs', 'img');
  mkdirSync(out, { recursive: true });
  for (const [name, svg] of await examplePictures(root)) writeFileSync(join(out, name), svg);
  if (args.includes('--progress')) await progressScreenshot(root, out);
}
