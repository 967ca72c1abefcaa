// One parse of one file in a fresh process, so that peak RSS belongs to that parser alone.
// Usage: node dist/bench/parse-one.js js-yaml|yaml-positions|load FILE   -> JSON {ms, maxRssBytes}
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { parseDocument } from 'yaml';
import { loadTopology } from '../src/topology/load.js';
import { YAML_12_CORE_SCHEMA } from '../src/topology/yaml-core-schema.js';

const [how, file] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
const t0 = performance.now();
if (how === 'js-yaml') load(text, { schema: YAML_12_CORE_SCHEMA });
else if (how === 'yaml-positions') parseDocument(text, { version: '1.2', schema: 'core', prettyErrors: false });
else if (how === 'load') {
  const r = loadTopology(file);
  if (!r.ok) throw new Error(`${file} is not valid: ${r.diagnostics[0]?.message}`);
} else throw new Error(`unknown parser ${how}`);
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) + '\n');
