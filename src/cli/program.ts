// The `tvd` command tree, built apart from running it, so that docs/usage.md can be generated
// from the very definitions the CLI parses with (scripts/gen-usage.ts).
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { registerCommands } from './commands/index.js';
import { PACKAGE_ROOT } from './package-files.js';

const require = createRequire(PACKAGE_ROOT);
export const { version: VERSION } = require('./package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('tvd')
    .description('Deploy Trusted Virtual Domains (TVDs) on Xen hosts from one YAML topology.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) })
    .addHelpText(
      'after',
      `
Examples:
  $ tvd init                                  # a starter topology.yaml, with editor hover help
  $ tvd validate topology.yaml
  $ tvd graph topology.yaml --format svg --out topology.svg
  $ tvd plan topology.yaml --out tvd.plan     # review, then:
  $ tvd apply tvd.plan
  $ tvd destroy topology.yaml

Run \`tvd help <command>\` for a command's options and examples. Exit codes: 0 ok, 1 error,
2 changes (plan --detailed-exitcode). Colour follows NO_COLOR, FORCE_COLOR and --no-color.
`,
    );
  registerCommands(program);
  return program;
}
