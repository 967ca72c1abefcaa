// Writes docs/usage.md from the commander definitions the CLI itself parses with, so the
// reference cannot drift from the code (test/ux/usage-doc.test.ts compares the two).
// Usage: node dist/scripts/gen-usage.js [ROOT]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventEmitter } from 'node:events';
import type { Command, Option } from 'commander';
import { buildProgram } from '../src/cli/program.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function afterHelp(cmd: Command): string {
  let text = '';
  // addHelpText registers an 'afterHelp' listener; ask it for its text as `--help` would.
  (cmd as unknown as EventEmitter).emit('afterHelp', { error: false, command: cmd, write: (s: string) => (text += s) });
  return text.trim();
}

function defaultOf(o: Option): string {
  if (o.defaultValue === undefined || o.negate) return '';
  return `\`${typeof o.defaultValue === 'string' ? o.defaultValue : JSON.stringify(o.defaultValue)}\``;
}

function optionRows(options: readonly Option[]): string[] {
  if (options.length === 0) return [];
  const rows = ['| option | default | what it does |', '| --- | --- | --- |'];
  for (const o of options) {
    const choices = o.argChoices ? ` One of: ${o.argChoices.map((c) => `\`${c}\``).join(', ')}.` : '';
    const text = choices && !/[.)]$/.test(o.description) ? `${o.description}.` : o.description;
    rows.push(`| \`${cell(o.flags)}\` | ${defaultOf(o)} | ${cell(text)}${choices} |`);
  }
  return rows;
}

function section(cmd: Command, path: string[]): string[] {
  const out: string[] = [];
  const name = path.join(' ');
  out.push(`## ${name}`, '', cmd.description(), '', '```', `${name} ${cmd.usage()}`, '```', '');
  const args = cmd.registeredArguments;
  if (args.length) {
    out.push('| argument | what it is |', '| --- | --- |');
    for (const a of args) {
      const shown = a.required ? `<${a.name()}>` : `[${a.name()}]`;
      const def = a.defaultValue === undefined ? '' : ` (default: \`${String(a.defaultValue)}\`)`;
      out.push(`| \`${cell(shown)}\` | ${cell(a.description)}${def} |`);
    }
    out.push('');
  }
  const opts = optionRows(cmd.options);
  if (opts.length) out.push(...opts, '');
  const after = afterHelp(cmd);
  if (after) {
    // "Examples:" and indented lines become a shell block; any paragraph after them stays text.
    const lines = after.split('\n');
    const end = lines.findIndex((l, i) => i > 0 && !l.startsWith('  '));
    const examples = lines[0] === 'Examples:' ? lines.slice(1, end === -1 ? undefined : end) : [];
    const rest = lines[0] === 'Examples:' ? (end === -1 ? [] : lines.slice(end)) : lines;
    if (examples.length) out.push('Examples:', '', '```sh', ...examples.map((l) => l.replace(/^ {2}/, '')), '```', '');
    const para = rest.join('\n').trim();
    if (para) out.push(para, '');
  }
  return out;
}

/** Where the state lives: not one command's option, so written here, beside the options it explains. */
const STATE_BACKENDS = [
  '## Where the state lives',
  '',
  'By default in a file, `.tvd/state.json` in the working folder (`--state PATH`), locked by a',
  '`.lock` file beside it (`tvd force-unlock` removes one a dead run left). A team keeps it in',
  "PostgreSQL instead, as Terraform's `pg` backend, chosen in this order:",
  '',
  '1. `--backend postgres://USER@HOST:PORT/DB` on the command line;',
  '2. the environment: `PG_CONN_STR` (the whole URL, password included if you like);',
  "3. the topology's `backend:` block;",
  '4. for `tvd apply PLAN`, the backend the saved plan was made against (it records it without the password).',
  '',
  '```yaml',
  'backend:',
  '  type: postgres                           # local (default) | postgres',
  '  url: postgres://tvd@db.internal:5432/tvd  # no password here: tvd validate refuses one',
  '  schema: tvd                              # default tvd; PG_SCHEMA_NAME overrides it',
  '  workspace: production                    # default default; --workspace, TVD_WORKSPACE override it',
  '```',
  '',
  'The password comes from `PGPASSWORD`, `~/.pgpass`, or a URL given whole in `PG_CONN_STR` or `--backend`,',
  'and never appears in plans, logs, `show` or errors. Several states share one database as workspaces.',
  'A run locks its workspace with a PostgreSQL advisory lock held by its connection: another run is refused',
  "at once with the holder's lock ID, user, machine, pid and operation, and a run that dies (even by",
  'SIGKILL) releases the lock with its connection, so no `force-unlock` is needed. Every write checks the',
  'serial and lineage in the transaction that writes. `tvd state migrate` moves a state between backends.',
  '`tvd show` and `tvd force-unlock` read no topology: give them `--backend` (or `PG_CONN_STR`) and `--workspace`.',
  '',
  "Every script tvd runs on a host also takes that host's lock (`flock` on `/run/tvd/lock`): a run waits",
  'up to `--host-lock-timeout` seconds (default 30) for another that is changing the host, also one whose',
  'tvd was killed and whose script still runs, and then fails naming it, having changed nothing.',
  '',
];

export function usageMarkdown(program: Command = buildProgram()): string {
  const out: string[] = [
    '# `tvd` command reference',
    '',
    '<!-- Generated by scripts/gen-usage.ts from the CLI definitions (`npm run docs`); do not edit by hand. -->',
    '',
    'Every command and option of `tvd`, as `tvd help <command>` shows them. Exit codes: `0` success;',
    '`1` an error (invalid input, an unreachable or refused host, a failed action, a held lock);',
    '`2` with `plan --detailed-exitcode` or from `verify`: success, and there are changes or drift.',
    'Colour: on at a terminal; off with `--no-color`, `NO_COLOR=1`, or when piped; `FORCE_COLOR=1` forces it on.',
    '',
    '| command | what it does |',
    '| --- | --- |',
    ...program.commands.map((c) => `| [\`tvd ${c.name()}\`](#tvd-${c.name()}) | ${cell(c.description())} |`),
    '',
    ...STATE_BACKENDS,
  ];
  out.push(...section(program, ['tvd']));
  for (const c of program.commands) {
    out.push(...section(c, ['tvd', c.name()]));
    // A command group (`tvd state`): each of its subcommands gets a section too.
    for (const sub of c.commands) out.push(...section(sub, ['tvd', c.name(), sub.name()]));
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.argv[2] ?? process.cwd();
  writeFileSync(join(root, 'docs', 'usage.md'), usageMarkdown());
}
