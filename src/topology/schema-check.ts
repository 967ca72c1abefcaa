// The schema check: the topology validator Ajv generated from the TypeBox model at build time
// (scripts/write-validators.ts), its errors turned into one clear Problem per mistake.
import type { ErrorObject } from 'ajv';
import validate from './schema-validator.js';
import { NAME_PATTERN, IFNAME_PATTERN, PROPERTY_PATTERN, PATH_PATTERN, HOST_ADDRESS_PATTERN } from './schema-constants.js';
import type { DataPath, Problem } from './diagnostic.js';
import { closest, show } from './suggest.js';
import { kindOf } from './merge.js';

const PATTERN_WORDS: Record<string, string> = {
  [NAME_PATTERN]: "names are lower-case letters, digits and '-', starting with a letter, at most 32",
  [IFNAME_PATTERN]: "interface names are letters, digits, '_', '.' and '-', starting with a letter, at most 15",
  [PROPERTY_PATTERN]: "property names are lower-case letters, digits and '-', starting with a letter, at most 64",
  [PATH_PATTERN]: "it must be an absolute path of letters, digits and '._+-/', without '..'",
  [HOST_ADDRESS_PATTERN]: 'it must be an IPv4 address or a DNS name where SSH reaches the Dom0, like 198.18.0.11 or dom0-a.example.net',
  '^[1-9][0-9]{0,5}[smh]$': 'it must be a duration like 30s, 10m or 2h',
  '^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$': 'it must be a MAC address like 00:16:3e:00:01:10',
  '^[a-z_][a-z0-9_-]{0,31}$': "user names are lower-case letters, digits, '_' and '-', at most 32",
  '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$': "segment names are letters, digits, '.', '_' and '-', at most 64",
  '^[A-Za-z0-9:/._+=-]+(,[A-Za-z0-9:/._+=-]*)*$': 'it must be an xl disk spec like phy:/dev/vg0/vm,xvda,w',
};

function patternWords(pattern: string): string {
  if (PATTERN_WORDS[pattern]) return PATTERN_WORDS[pattern];
  if (pattern.endsWith('/(3[0-2]|[12]?[0-9])$')) return 'it must be an IPv4 subnet like 198.19.1.0/24';
  if (pattern.startsWith('^(25[0-5]')) return 'it must be an IPv4 address like 198.19.1.10';
  return `it must match ${pattern}`;
}

/** Runs the schema; no problems means the data has the Topology shape. */
export function checkSchema(data: unknown): Problem[] {
  if (validate(data)) return [];
  const collapsed = collapseAnyOf(validate.errors ?? []);
  // `const: 1` also says `type: number`: the const message alone says it all.
  const consts = new Set(collapsed.filter((e) => e.keyword === 'const').map((e) => e.instancePath));
  // A value of the wrong type gets only the type message (not also "NaN is out of range").
  const typed = new Set(collapsed.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const errors = collapsed.filter((e) =>
    e.keyword === 'type' ? !consts.has(e.instancePath) : e.keyword === 'const' || !typed.has(e.instancePath),
  );
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const p = { ...toProblem(e, data), code: e.keyword === 'additionalProperties' ? 'unknown-key' : `schema-${e.keyword.toLowerCase()}` };
    const id = `${p.path.join('\0')}\0${p.at ?? ''}\0${p.message}`;
    if (!seen.has(id)) problems.push(p);
    seen.add(id);
  }
  return problems;
}

/**
 * A union reports an error per branch plus one for itself. Keep the branch the data was
 * evidently meant for (the only one whose type fits); otherwise say what the union accepts.
 */
function collapseAnyOf(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  const replaced = new Map<ErrorObject, string>();
  const unions = errors.filter((e) => e.keyword === 'anyOf').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const u of unions) {
    if (dropped.has(u)) continue;
    const branches = (u.schema as Record<string, unknown>[]) ?? [];
    const inside = errors.filter(
      (e) =>
        e !== u &&
        e.schemaPath.startsWith(u.schemaPath + '/') &&
        (e.instancePath === u.instancePath || e.instancePath.startsWith(u.instancePath + '/')),
    );
    const fitting = branches.map((b, i) => (typeFits(b, u.data) ? i : -1)).filter((i) => i >= 0);
    const fitBranch = fitting.length === 1 ? branches[fitting[0]] : undefined;
    if (fitBranch && !('const' in fitBranch)) {
      const keep = `${u.schemaPath}/${fitting[0]}/`;
      for (const e of inside) if (!e.schemaPath.startsWith(keep)) dropped.add(e);
      dropped.add(u);
    } else {
      for (const e of inside) dropped.add(e);
      replaced.set(u, describeUnion(branches, u.data));
    }
  }
  return errors.filter((e) => !dropped.has(e)).map((e) => (replaced.has(e) ? { ...e, keyword: 'union', message: replaced.get(e) } : e));
}

function typeFits(schema: Record<string, unknown>, data: unknown): boolean {
  const t = schema.type;
  if ('const' in schema) return typeof schema.const === typeof data && data !== null;
  switch (t) {
    case 'string':
      return typeof data === 'string';
    case 'integer':
    case 'number':
      return typeof data === 'number';
    case 'boolean':
      return typeof data === 'boolean';
    case 'array':
      return Array.isArray(data);
    case 'object':
      return data !== null && typeof data === 'object' && !Array.isArray(data);
    default:
      return false;
  }
}

function describeUnion(branches: Record<string, unknown>[], data: unknown): string {
  if (branches.every((b) => 'const' in b)) {
    const allowed = branches.map((b) => String(b.const)).join(', ');
    return `${show(data)} is not one of: ${allowed}`;
  }
  const words = branches.map((b) => ('const' in b ? show(b.const) : typeWord(b)));
  return `must be ${words.join(' or ')}, not ${kindOf(data)}`;
}

function typeWord(schema: Record<string, unknown>): string {
  switch (schema.type) {
    case 'string':
      return 'text';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array': {
      const items = schema.items as Record<string, unknown> | undefined;
      if (items?.anyOf && (items.anyOf as Record<string, unknown>[]).every((b) => 'const' in b)) {
        return `a list of ${(items.anyOf as Record<string, unknown>[]).map((b) => String(b.const)).join(', ')}`;
      }
      return 'a list';
    }
    case 'object':
      return 'a map';
    default:
      return 'something else';
  }
}

function toProblem(e: ErrorObject, data: unknown): Problem {
  const path = dataPath(e.instancePath, data);
  const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'union':
      return { path, message: e.message ?? 'is not valid' };
    case 'required':
      return { path, message: `missing key '${String(p.missingProperty)}'` };
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const patterns = parent.patternProperties as Record<string, unknown> | undefined;
      if (patterns && !parent.properties) {
        const rule = Object.keys(patterns)[0] ?? '';
        return { path: [...path, key], at: 'key', message: `${show(key)} is not a valid name: ${patternWords(rule)}` };
      }
      const known = Object.keys((parent.properties as Record<string, unknown>) ?? {}).filter((k) => k !== '$schema');
      const guess = closest(key, known);
      const hint = guess ? `; did you mean '${guess}'?` : known.length ? `; known keys: ${known.join(', ')}` : '';
      return { path: [...path, key], at: 'key', message: `unknown key ${show(key)}${hint}` };
    }
    case 'type': {
      // `web:` with nothing under it reads as null: say how to write an entry with no settings.
      const hint = e.data === null && parent.type === 'object' ? '; write {} for one with nothing set' : '';
      const value = typeof e.data === 'string' || typeof e.data === 'number' ? ` (${show(e.data)})` : '';
      return { path, message: `must be ${typeWord(parent)}, not ${kindOf(e.data)}${value}${hint}` };
    }
    case 'const':
      return { path, message: `must be ${show(p.allowedValue)}, not ${show(e.data)}` };
    case 'pattern': {
      return { path, message: `${show(e.data)} is not valid: ${patternWords(String(p.pattern))}` };
    }
    case 'minimum':
    case 'maximum': {
      const lo = parent.minimum;
      const hi = parent.maximum;
      const range = lo !== undefined && hi !== undefined ? `${lo}..${hi}` : e.keyword === 'minimum' ? `at least ${lo}` : `at most ${hi}`;
      return { path, message: `${show(e.data)} is out of range: it must be ${range}` };
    }
    case 'minItems':
    case 'maxItems': {
      const lo = parent.minItems as number | undefined;
      const hi = parent.maxItems as number | undefined;
      if (path[path.length - 1] === 'between') return { path, message: 'must name exactly two TVDs' };
      const n = lo !== undefined && lo === hi ? `exactly ${lo}` : e.keyword === 'minItems' ? `at least ${lo}` : `at most ${hi}`;
      return { path, message: `must have ${n} ${n.endsWith(' 1') ? 'entry' : 'entries'}` };
    }
    case 'uniqueItems': {
      const j = Number(p.j);
      const list = Array.isArray(e.data) ? e.data : [];
      return { path: [...path, Math.max(Number(p.i), j)], message: `${show(list[Math.max(Number(p.i), j)])} is listed twice` };
    }
    case 'maxLength':
      return { path, message: `is too long: at most ${String(p.limit)} characters` };
    default:
      return { path, message: e.message ?? 'is not valid' };
  }
}

/** '/vms/w1/nics/0' -> ['vms', 'w1', 'nics', 0], using the data to tell list indexes from keys. */
export function dataPath(pointer: string, data: unknown): DataPath {
  if (pointer === '') return [];
  const path: DataPath = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const i = Number(seg);
      path.push(i);
      node = node[i];
    } else {
      path.push(seg);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}
