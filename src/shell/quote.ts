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
