// The xl.cfg(5) syntax, as libxlu's lexer and grammar read it: `key = value` statements ended by
// a newline or `;`; keys are [a-z][a-z0-9_]*; values are 'strings', "strings" (backslash escapes),
// numbers (decimal, 0octal, 0xhex), or [ lists ] (which may span lines and nest, with a trailing
// comma allowed); `#` starts a comment. A later assignment of a key replaces an earlier one.
// Pure: text in, values or a positioned error out.

export type CfgValue = { kind: 'atom'; value: string; line: number } | { kind: 'list'; items: CfgValue[]; line: number };

export class CfgSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly near: string,
    detail: string,
  ) {
    super(`${file}:${line}: config parsing error near \`${near}': ${detail}`);
  }
}

type Tok =
  | { t: 'ident' | 'string' | 'number'; v: string; line: number }
  | { t: '=' | ',' | '[' | ']' | ';' | 'nl' | 'eof'; v: string; line: number };

function lex(text: string, file: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '\n') {
      toks.push({ t: 'nl', v: '\n', line });
      line++;
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if ('=,[];'.includes(c)) {
      toks.push({ t: c as '=', v: c, line });
      i++;
    } else if (/[a-z]/.test(c)) {
      const m = /^[a-z][_0-9a-z]*/.exec(text.slice(i))![0];
      toks.push({ t: 'ident', v: m, line });
      i += m.length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9a-fx]*/.exec(text.slice(i))![0];
      toks.push({ t: 'number', v: m, line });
      i += m.length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let out = '';
      for (;;) {
        if (j >= text.length || text[j] === '\n') throw new CfgSyntaxError(file, line, text.slice(i, j), 'unterminated string');
        const d = text[j];
        if (d === c) break;
        if (d === '\\') {
          const [s, used] = unescapeValue(text, j + 1);
          if (used === 0) throw new CfgSyntaxError(file, line, text.slice(i, j + 2), 'invalid escape in string');
          out += s;
          j += 1 + used;
        } else {
          out += d;
          j++;
        }
      }
      toks.push({ t: 'string', v: out, line });
      i = j + 1;
    } else {
      const word = /^[^ \t\n]*/.exec(text.slice(i))![0];
      const python = /[+\-.():]/.test(c) ? ' (the file looks like Python, which xl does not read)' : '';
      throw new CfgSyntaxError(file, line, word, `lexical error${python}`);
    }
  }
  toks.push({ t: 'nl', v: '\n', line }, { t: 'eof', v: '', line });
  return toks;
}

/** One escape after a backslash, as libxlu's dequote reads it: [value, characters consumed]. */
function unescapeValue(text: string, at: number): [string, number] {
  const c = text[at];
  const simple: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    a: '\x07',
    b: '\b',
    f: '\f',
    v: '\v',
    '\\': '\\',
    "'": "'",
    '"': '"',
  };
  if (c === undefined || c === '\n') return ['', 0];
  if (c in simple) return [simple[c], 1];
  const oct = /^[0-7]{1,3}/.exec(text.slice(at));
  if (oct) return [String.fromCharCode(parseInt(oct[0], 8)), oct[0].length];
  const hex = /^x([0-9a-fA-F]{1,2})/.exec(text.slice(at));
  if (hex) return [String.fromCharCode(parseInt(hex[1], 16)), hex[0].length];
  return ['', 0];
}

/** Parses a whole config file: the last value given for each key. */
export function parseXlCfg(text: string, file: string): Map<string, CfgValue> {
  const toks = lex(text, file);
  const out = new Map<string, CfgValue>();
  let p = 0;
  const peek = () => toks[p];
  const fail = (tok: Tok, what: string): never => {
    throw new CfgSyntaxError(file, tok.line, tok.t === 'nl' ? '\\n' : tok.t === 'eof' ? 'end of file' : tok.v, `syntax error, ${what}`);
  };
  const skipNl = () => {
    while (peek().t === 'nl') p++;
  };
  const value = (): CfgValue => {
    const tok = toks[p++];
    if (tok.t === 'string' || tok.t === 'number') return { kind: 'atom', value: tok.v, line: tok.line };
    if (tok.t !== '[') return fail(tok, 'expecting a string, a number or [');
    const items: CfgValue[] = [];
    skipNl();
    while (peek().t !== ']') {
      items.push(value());
      skipNl();
      if (peek().t === ',') {
        p++;
        skipNl();
      } else if (peek().t !== ']') {
        fail(peek(), "expecting ',' or ']'");
      }
    }
    p++;
    return { kind: 'list', items, line: tok.line };
  };
  while (peek().t !== 'eof') {
    const tok = toks[p];
    if (tok.t === 'nl' || tok.t === ';') {
      p++;
      continue;
    }
    if (tok.t !== 'ident') fail(tok, 'expecting a key');
    p++;
    if (peek().t !== '=') fail(peek(), "expecting '='");
    p++;
    const v = value();
    const end = peek();
    if (end.t !== 'nl' && end.t !== ';' && end.t !== 'eof') fail(end, 'expecting a newline or ;');
    out.set(tok.v, v);
  }
  return out;
}
