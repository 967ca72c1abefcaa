// The YAML 1.2 core schema for js-yaml, written out to match eemeli/yaml's `core` schema exactly.
// js-yaml's own schemas are not YAML 1.2 core: DEFAULT_SCHEMA adds timestamps, `<<` merge keys
// and !!binary, and even its CORE_SCHEMA reads `1_000` as an int. Both parsers must agree on
// every value (test/topology/yaml-parity.test.ts), so we state the rules here once.
import { FAILSAFE_SCHEMA, Type } from 'js-yaml';

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (s: string) => NULL.test(s),
  construct: () => null,
  predicate: (v: unknown) => v === null,
  represent: () => 'null',
});

const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string) => BOOL.test(s),
  construct: (s: string) => s[0] === 't' || s[0] === 'T',
  predicate: (v: unknown) => typeof v === 'boolean',
  represent: (v: object) => String(v),
});

const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string) => INT_OCT.test(s) || INT_DEC.test(s) || INT_HEX.test(s),
  construct: (s: string) =>
    INT_OCT.test(s) ? parseInt(s.substring(2), 8) : INT_HEX.test(s) ? parseInt(s.substring(2), 16) : parseInt(s, 10),
  predicate: (v: unknown) => Number.isInteger(v),
  represent: (v: object) => String(v),
});

const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string) => FLOAT_NAN_INF.test(s) || FLOAT_EXP.test(s) || FLOAT.test(s),
  construct: (s: string) =>
    FLOAT_NAN_INF.test(s) ? (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity) : parseFloat(s),
  predicate: (v: unknown) => typeof v === 'number',
  represent: (v: object) => String(v),
});

export const YAML_12_CORE_SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });
