// tvd graph on the examples: the DOT parses back (Graphviz, the same WASM library, lays it out),
// the SVG is a whole document with the matrix beside the graph, the matrix is the paper's, and
// the committed pictures are what the generator makes today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { loadTopology } from '../../src/topology/load.js';
import type { Topology } from '../../src/topology/schema.js';
import { topologyGraph } from '../../src/graph/model.js';
import { toDot } from '../../src/graph/dot.js';
import { toMermaid } from '../../src/graph/mermaid.js';
import { matrixText } from '../../src/graph/matrix-text.js';
import { besideMatrix, dotToSvg } from '../../src/graph/svg.js';
import { examplePictures } from '../../scripts/gen-pictures.js';
import { tvd } from '../support/tvd-cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLES = ['single-host', 'paper-figure-1', 'three-hosts'];

function example(name: string): Topology {
  const r = loadTopology(join(ROOT, 'examples', name, 'topology.yaml'));
  assert.ok(r.ok, name);
  return r.topology;
}

/** Every element closed in order: enough to know the document is whole (no parser in deps). */
function assertBalancedXml(svg: string): void {
  const body = svg
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/<!DOCTYPE[^>]*>/, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g)) {
    if (m[4] === '/') continue;
    if (m[1] === '/') assert.equal(stack.pop(), m[2], `</${m[2]}> closes the wrong element`);
    else stack.push(m[2]);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
}

test('the DOT of every example parses back: Graphviz lays it out, with a node for each VM and TVD', async () => {
  for (const name of EXAMPLES) {
    const t = example(name);
    for (const closed of [false, true]) {
      const svg = await dotToSvg(toDot(topologyGraph(t), { closed }));
      assert.match(svg, /<svg\b/, name);
      // Graphviz writes `-` in titles as &#45;.
      for (const vm of Object.keys(t.vms ?? {}))
        assert.ok(svg.includes(`<title>vm:${vm.replace(/-/g, '&#45;')}</title>`), `${name}: no node for VM ${vm}`);
      for (const tvdName of Object.keys(t.tvds))
        assert.ok(svg.includes(`<title>tvd:${tvdName}</title>`), `${name}: no node for TVD ${tvdName}`);
    }
  }
});

test('a VM on two TVDs is drawn striped in both colours and joined to both TVD nodes', async () => {
  const t = example('single-host');
  t.vms!['bridge-vm'] = { host: 'h1', memory: 128, nics: [{ tvd: 'red' }, { tvd: 'blue' }] };
  const g = topologyGraph(t);
  assert.deepEqual(
    g.hosts[0].multi.map((v) => [v.name, v.tvds]),
    [['bridge-vm', ['red', 'blue']]],
  );
  const dot = toDot(g);
  assert.match(dot, /"vm:bridge-vm" \[[^\]]*style="striped", fillcolor="#[0-9a-f]{6}:#[0-9a-f]{6}"/);
  assert.match(dot, /"vm:bridge-vm" -> "tvd:red"/);
  assert.match(dot, /"vm:bridge-vm" -> "tvd:blue"/);
  await dotToSvg(dot);
});

test('a DOT syntax error is refused by the same library (so parsing back is a real check)', async () => {
  await assert.rejects(dotToSvg('digraph { a -> }'));
});

test('names and descriptions with quotes and backslashes cannot break the DOT', async () => {
  const t = example('single-host');
  t.tvds.red.subnet = '198.19.1.0/24';
  const g = topologyGraph(t);
  g.hosts[0].address = 'x" -> "evil\\'; // only possible by a bug upstream; the quoting must still hold
  const svg = await dotToSvg(toDot(g));
  assert.ok(svg.includes('evil'), 'the text is kept as a label');
  assert.ok(!svg.includes('<title>evil'), 'no node was injected');
});

test('the SVG is one whole document: the graph, and the flow matrix table beside it', async () => {
  for (const name of EXAMPLES) {
    const g = topologyGraph(example(name));
    const svg = besideMatrix(await dotToSvg(toDot(g)), g.matrix);
    assertBalancedXml(svg);
    assert.match(svg, /^<\?xml[^\n]*\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* viewBox="0 0 \d+ \d+">/);
    assert.ok(svg.includes('>Flow matrix</text>'), name);
    for (const t of g.matrix.tvds) assert.ok(svg.includes(`>${t}</text>`), `${name}: matrix lacks ${t}`);
  }
});

test('the matrix of paper-figure-1 is the paper Figure 1: 1 0 P / 0 1 0 / P P 1, with the rules', () => {
  const text = matrixText(topologyGraph(example('paper-figure-1')).matrix);
  const rows = text
    .split('\n')
    .slice(0, 4)
    .map((l) => l.split(/\s{2,}/));
  assert.deepEqual(rows, [
    ['from \\ to', 'alpha', 'beta', 'gamma'],
    ['alpha', '1', '0', 'P tcp/443,icmp'],
    ['beta', '0', '1', '0'],
    ['gamma', 'P tcp/22', 'P tcp/80,icmp', '1'],
  ]);
});

test('the matrix follows defaults.flow and the symmetric form (three-hosts, and default open)', () => {
  const t = example('three-hosts');
  const cells = (tt: Topology) =>
    matrixText(topologyGraph(tt).matrix)
      .split('\n')
      .slice(1, 4)
      .map((l) => l.split(/\s{2,}/).slice(1));
  // app, db, web (sorted): web <-> app open, app -> db controlled, the rest closed by default.
  assert.deepEqual(cells(t), [
    ['1', 'P tcp/5432,icmp', '1'],
    ['0', '1', '0'],
    ['1', '0', '1'],
  ]);
  const open = structuredClone(t);
  open.defaults = { flow: 'open' };
  assert.deepEqual(cells(open), [
    ['1', 'P tcp/5432,icmp', '1'],
    ['1', '1', '1'],
    ['1', '1', '1'],
  ]);
});

test('flow edges: open and controlled drawn with their rules, closed only with --closed (dashed)', () => {
  const g = topologyGraph(example('paper-figure-1'));
  const flowEdges = (dot: string) =>
    dot
      .split('\n')
      .filter((l) => /^ {2}"tvd:[a-z-]+" -> "tvd:/.test(l))
      .map((l) => {
        const m = /"tvd:([a-z-]+)" -> "tvd:([a-z-]+)".*label="([^"]*)"/.exec(l)!;
        return `${m[1]}->${m[2]} ${m[3]}${l.includes('style="dashed"') ? ' dashed' : ''}`;
      })
      .sort();
  // Both directions of a pair on one edge, a label line each (two edges laid their labels on top of each other).
  const both = 'alpha->gamma alpha \u2192 gamma: tcp/443, icmp\\ngamma \u2192 alpha: tcp/22';
  assert.deepEqual(flowEdges(toDot(g)), [both, 'gamma->beta tcp/80, icmp'].sort());
  assert.deepEqual(
    flowEdges(toDot(g, { closed: true })),
    ['alpha->beta closed dashed', both, 'beta->gamma beta \u2192 gamma: closed\\ngamma \u2192 beta: tcp/80, icmp'].sort(),
  );
  const three = toDot(topologyGraph(example('three-hosts')));
  assert.match(three, /"tvd:app" -> "tvd:web" \[[^\]]*dir="both"[^\]]*label="open"/);
});

test('SVG layout: no two flow labels overlap (paper-figure-1, with and without --closed)', async () => {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const gv = await Graphviz.load();
  for (const closed of [false, true]) {
    const laid = JSON.parse(gv.layout(toDot(topologyGraph(example('paper-figure-1')), { closed }), 'json')) as {
      edges?: { label?: string; lp?: string; fontsize?: string }[];
    };
    // Each label's box from its centre, its longest line and its number of lines (Helvetica ~0.6 em wide).
    const boxes = (laid.edges ?? [])
      .filter((e) => e.label && e.lp)
      .map((e) => {
        const [x, y] = e.lp!.split(',').map(Number);
        const lines = e.label!.split('\\n');
        const size = Number(e.fontsize ?? 10);
        const [w, h] = [Math.max(...lines.map((l) => l.length)) * size * 0.6, lines.length * size * 1.2];
        return { label: e.label!, x0: x - w / 2, x1: x + w / 2, y0: y - h / 2, y1: y + h / 2 };
      });
    assert.ok(boxes.length >= 2);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
        assert.ok(!overlap, `"${a.label}" overlaps "${b.label}" (closed: ${closed})`);
      }
    }
  }
});

test('graph --out: the format from the extension; a name it cannot write is refused, and nothing is written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-graph-out-'));
  try {
    const file = join(ROOT, 'examples', 'paper-figure-1', 'topology.yaml');
    const png = await tvd(['graph', file, '--out', join(dir, 'g.png')]);
    assert.equal(png.code, 1);
    assert.match(
      png.stderr,
      /g\.png: tvd graph writes SVG \(\.svg\), DOT \(\.dot, \.gv\) or Mermaid \(\.mmd\), not \.png; for PNG, let Graphviz draw the DOT: tvd graph FILE \| dot -Tpng/,
    );
    const clash = await tvd(['graph', file, '--format', 'svg', '--out', join(dir, 'g.dot')]);
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /--format svg, but .*g\.dot names dot/);
    assert.deepEqual(readdirSync(dir), [], 'nothing written');
    assert.equal((await tvd(['graph', file, '--out', join(dir, 'g.mmd')])).code, 0);
    assert.match(readFileSync(join(dir, 'g.mmd'), 'utf8'), /^flowchart LR/);
    assert.equal(
      (await tvd(['graph', file, '--format', 'dot', '--out', join(dir, 'g.txt')])).code,
      0,
      '--format names the format of an unknown extension',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Mermaid: hosts and TVD groups as balanced subgraphs, flows labelled, ids safe', () => {
  const m = toMermaid(topologyGraph(example('paper-figure-1')), { closed: true });
  assert.ok(m.startsWith('flowchart LR\n'));
  const opens = m.split('\n').filter((l) => /^\s*subgraph /.test(l)).length;
  const ends = m.split('\n').filter((l) => /^\s*end$/.test(l)).length;
  assert.equal(opens, ends);
  assert.match(m, /tvd_alpha ==>\|"tcp\/443, icmp"\| tvd_gamma/);
  assert.match(m, /tvd_alpha -\.-\|closed\| tvd_beta/);
  assert.ok(!/\b(vm|tvd|grp|host)_[a-z0-9_]*-/.test(m), 'no dash in an id');
});

test('the committed pictures under docs/img are what scripts/gen-pictures makes now', async () => {
  for (const [file, svg] of await examplePictures(ROOT)) {
    assert.equal(readFileSync(join(ROOT, 'docs/img', file), 'utf8'), svg, `docs/img/${file} is stale: run \`npm run docs\``);
  }
});

test('tvd graph: formats, --out, --matrix, errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tvd-graph-'));
  try {
    const file = join(ROOT, 'examples/paper-figure-1/topology.yaml');
    const dot = await tvd(['graph', file]);
    assert.equal(dot.code, 0, dot.stderr);
    assert.ok(dot.stdout.startsWith('digraph tvd {'));
    const out = join(dir, 'g.svg');
    const svg = await tvd(['graph', file, '--format', 'svg', '--out', out]);
    assert.equal(svg.code, 0, svg.stderr);
    assert.equal(svg.stdout, '');
    assertBalancedXml(readFileSync(out, 'utf8'));
    const byName = join(dir, 'g.mmd');
    assert.equal((await tvd(['graph', file, '--out', byName])).code, 0);
    assert.ok(readFileSync(byName, 'utf8').startsWith('flowchart LR\n'), 'the format follows the --out extension');
    const forced = join(dir, 'forced.svg');
    const clash = await tvd(['graph', file, '--out', forced, '--format', 'dot']);
    assert.equal(clash.code, 1, 'DOT in a file named .svg is refused, as --out g.png is');
    assert.equal(existsSync(forced), false);
    const mer = await tvd(['graph', file, '--format', 'mermaid']);
    assert.ok(mer.stdout.startsWith('flowchart LR'));
    const mat = await tvd(['graph', file, '--matrix']);
    assert.match(mat.stdout, /^from \\ to\s+alpha\s+beta\s+gamma\n/);
    const bad = await tvd(['graph', file, '--format', 'png']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Allowed choices are dot, mermaid, svg/);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, yaml.dump({ version: 1, tvds: { a: {} }, flows: [{ from: 'a', to: 'nope', connection: 'open' }] }));
    const inv = await tvd(['graph', broken]);
    assert.equal(inv.code, 1);
    assert.match(inv.stderr, /broken\.yaml:\d+:\d+: /);
    assert.equal(inv.stdout, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
