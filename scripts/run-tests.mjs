// Runs every compiled test file with Node's own runner, so the summary line is the standard one.
// Usage: node scripts/run-tests.mjs [substring...]  (only files whose path contains one of them)
// The real-Xen tests (dist/test/xen) run only when named: they take minutes (npm run test:xen).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (
      name.endsWith('.test.js') &&
      (filters.length === 0 ? !p.startsWith(join('dist', 'test', 'xen')) : filters.some((f) => p.includes(f)))
    )
      files.push(p);
  }
})('dist/test');
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
