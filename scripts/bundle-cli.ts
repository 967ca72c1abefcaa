// Bundles the built CLI (dist/src/cli/run-cli.js and everything it imports) into dist/bin/tvd/,
// the `tvd` that package.json's bin runs:
// - tvd.cjs: the whole CLI, one CommonJS file. Node loads an ES module at a time, about 0.3 ms
//   each, and a plan loads some 150 of them; and only a script compiled through node:vm can take
//   a V8 code cache in Node 20 (src/cli/bundle-loader.ts). esbuild keeps each `import()` lazy:
//   a command's code, the refresh and the PostgreSQL backend run only when used.
// - main.js: the launcher (src/cli/launch.ts), which loads tvd.cjs with tvd.cache, the code cache
//   scripts/train-code-cache.ts writes after this.
// - External, and required at run time: ssh2 (it loads a native binding by a relative path) with its
//   optional cpu-features, and the graphviz WebAssembly (large, and only for `tvd graph --format svg`;
//   an ES module, which Node 20.19 and later can require).
// - dist/bin/tvd is as deep as dist/src/cli, so src/cli/package-files.ts finds the package root
//   (package.json, schemas/) by one relative path from either.
// - meta.json says which inputs went into the bundle: test/ux/startup-imports.test.ts reads it.
// Usage: node dist/scripts/bundle-cli.js   (npm run build does it, after the validators)
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const DIST = fileURLToPath(new URL('../', import.meta.url));
const OUT = `${DIST}bin/tvd`;

rmSync(OUT, { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'error' } as const;
const result = await build({
  ...common,
  entryPoints: [`${DIST}src/cli/run-cli.js`],
  outfile: `${OUT}/tvd.cjs`,
  format: 'cjs',
  // pg-native: pg's optional libpq binding, which tvd does not use.
  external: ['ssh2', 'cpu-features', '@hpcc-js/wasm-graphviz', 'pg-native'],
  // The launcher passes the bundle's own URL in (bundle-loader.ts).
  define: { 'import.meta.url': '__tvdMetaUrl' },
  metafile: true,
});
writeFileSync(`${OUT}/meta.json`, JSON.stringify(result.metafile));
// A script compiled through node:vm has no import() in Node 20 without --experimental-vm-modules:
// what stays outside the bundle is required (CommonJS, or ES modules through require(esm), Node 20.19).
for (const o of Object.values(result.metafile.outputs))
  for (const i of o.imports)
    if (i.external && i.kind === 'dynamic-import')
      throw new Error(`the CLI bundle would import('${i.path}') at run time; require it instead`);
await build({ ...common, entryPoints: [`${DIST}src/cli/launch.js`], outfile: `${OUT}/main.js`, format: 'esm' });
