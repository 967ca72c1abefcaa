#!/usr/bin/env node
// What package.json's bin runs, once bundled as dist/bin/tvd/main.js (scripts/bundle-cli.ts): the
// CLI bundle beside it, with the code cache the build trained (bundle-loader.ts).
import { fileURLToPath } from 'node:url';
import { loadBundle } from './bundle-loader.js';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

await loadBundle(here('./tvd.cjs'), here('./tvd.cache')).exports.runCli(process.argv);
