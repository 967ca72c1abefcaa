// The bare js-yaml parse of a topology file, nothing else: the yardstick `tvd plan` is held to
// (bench/plan-scale.ts). Its process is timed from spawn to exit, as the plan's is; it prints the
// parse alone (reading the file and js-yaml's load, in process) for the page's second ratio.
// Usage: node dist/bench/parse-bare.js FILE   -> JSON {ms}
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { YAML_12_CORE_SCHEMA } from '../src/topology/yaml-core-schema.js';

const t0 = performance.now();
load(readFileSync(process.argv[2], 'utf8'), { schema: YAML_12_CORE_SCHEMA });
process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }) + '\n');
