#!/usr/bin/env node
// The `tvd` entry point as separate ES modules (CPU profiles name each source file). Users run the
// bundle instead (package.json's bin, scripts/bundle-cli.ts), which runs the same runCli.
import { runCli } from './run-cli.js';

await runCli(process.argv);
