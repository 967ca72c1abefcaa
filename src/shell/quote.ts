// Quoting for POSIX sh, in one module. What it returns is an `Sh`: text that the shell reads as
// the one word (or the words) it was made from. A function that puts a value into a script as it
// is asks for an Sh, so that a raw value cannot be passed where a quoted one belongs: TypeScript
// refuses a plain string there. An Sh is still a string wherever a string will do.
declare const SH: unique symbol;
export type Sh = string & { readonly [SH]: true };

/** One shell word, always single-quoted (a `'` inside becomes `'\''`): how rendered scripts quote. */
export function shQuote(value: string): Sh {
  if (value.includes('\0')) throw new Error('refusing to render a NUL byte into a shell script');
  return `'${value.replace(/'/g, `'\\''`)}'` as Sh;
}

/** One shell word, left bare when it is safe as it is, else single-quoted: for command lines people read. */
export function shWord(word: string): Sh {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word as Sh;
  return `'${word.replace(/'/g, `'\\''`)}'` as Sh;
}

/** A command line: each word shWord-quoted, joined by spaces. */
export function shCommand(argv: readonly string[]): Sh {
  return argv.map(shWord).join(' ') as Sh;
}

/**
 * Shell text that tvd wrote itself (a fixed fragment, a shell variable such as "$dev"), never
 * from the topology: named, so that every such place can be found.
 */
export function shTrusted(text: string): Sh {
  return text as Sh;
}

/** A comment line (`# text`): only a line break could end it early, so none stays in it. */
export function shComment(text: string): Sh {
  return `# ${text.replace(/[\r\n]+/g, ' ')}` as Sh;
}

/**
 * A word of tvd's own (a fixed path, a device name) that the shell reads as it is: returned
 * unchanged, as an Sh, or refused when it would need quoting. For constants that are also put
 * inside double quotes, where a quoted form would be wrong.
 */
export function shBare(word: string): Sh {
  if (!/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) throw new Error(`not a bare shell word: ${JSON.stringify(word)}`);
  return word as Sh;
}

/**
 * Shell text from a template: the literal parts are tvd's own source text, and every value put
 * into it must already be an Sh (quoted, bare or trusted) or a finite number, so a raw string
 * cannot slip in: TypeScript refuses `sh\`rm ${path}\`` for a plain string `path`.
 */
export function sh(literal: TemplateStringsArray, ...values: readonly (Sh | number)[]): Sh {
  return interleave(literal, values);
}

/** As sh, with the literal parts as written (String.raw): for long scripts full of backslashes. */
export function shRaw(literal: TemplateStringsArray, ...values: readonly (Sh | number)[]): Sh {
  return interleave(literal.raw, values);
}

function interleave(literal: readonly string[], values: readonly (Sh | number)[]): Sh {
  let out = literal[0] ?? '';
  values.forEach((v, i) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`refusing to render ${v} into a shell script`);
    out += String(v) + (literal[i + 1] ?? '');
  });
  return out as Sh;
}

/** What shJoin puts between pieces: a fixed choice, so that nothing raw comes in through it. */
export type ShSeparator = '' | '\n' | ' ' | '|' | ' | ' | ' && ' | ' || ' | '; ';

/** Sh pieces joined (by a newline unless told): still shell text, with nothing raw added. */
export function shJoin(parts: readonly Sh[], separator: ShSeparator = '\n'): Sh {
  return parts.join(separator) as Sh;
}

/** A `case` pattern: each run of characters other than `*` single-quoted, each `*` left to match anything. */
export function shGlob(pattern: string): Sh {
  return pattern.replace(/[^*]+/g, (literal) => shQuote(literal)) as Sh;
}

/** Shell text without its trailing blanks and line breaks (what String#trimEnd drops), still an Sh. */
export function shTrimEnd(text: Sh): Sh {
  return text.trimEnd() as Sh;
}
