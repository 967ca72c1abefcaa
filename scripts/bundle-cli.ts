// Bundles the built CLI (dist/src/cli/main.js and everything it imports) into dist/bin/tvd/, the
// `tvd` that package.json's bin runs. Node loads an ES module at a time, about 0.3 ms each: a plan
// loads some 150 of them, tvd's and its dependencies', which cost every command about 35 ms at
// start. The bundle keeps the lazy imports (each command's code, refresh, eemeli/yaml) as chunks
// of their own (`splitting`), so a command still loads only what it runs.
// - External: ssh2 (it loads a native binding by a relative path) with its optional cpu-features,
//   and the graphviz WebAssembly (large, and only for `tvd graph --format svg`).
// - dist/bin/tvd is as deep as dist/src/cli, so src/cli/package-files.ts finds the package root
//   (package.json, schemas/) by one relative path from either.
// - meta.json says which inputs went into which chunk: test/ux/startup-imports.test.ts reads it.
// Usage: node dist/scripts/bundle-cli.js   (npm run build does it, after the validators)
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const DIST = fileURLToPath(new URL('../', import.meta.url));
const OUT = `${DIST}bin/tvd`;

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  entryPoints: [`${DIST}src/cli/main.js`],
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // pg-native: pg's optional libpq binding, which tvd does not use.
  external: ['ssh2', 'cpu-features', '@hpcc-js/wasm-graphviz', 'pg-native'],
  // CommonJS dependencies (commander, ssh-config) call require(): give each chunk one.
  banner: { js: "import { createRequire as __tvdRequire } from 'node:module';\nconst require = __tvdRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'error',
});
writeFileSync(`${OUT}/meta.json`, JSON.stringify(result.metafile));
