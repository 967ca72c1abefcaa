// Schema check of a capability model: Ajv (JSON Schema 2020-12) compiled once from the TypeBox object.
import AjvModule from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { Capabilities } from './schema.js';

// ajv/dist/2020.js is CommonJS: under NodeNext its default import is module.exports.
type AjvClass = typeof AjvModule.default;
const Ajv2020: AjvClass = (AjvModule as unknown as { default?: AjvClass }).default ?? (AjvModule as unknown as AjvClass);

let compiled: ValidateFunction | undefined;

/** The schema problems of `data` as `path: message` lines; empty when it is a valid capability model. */
export function capabilitiesProblems(data: unknown): string[] {
  if (!compiled) compiled = new Ajv2020({ allErrors: true, strict: false }).compile(Capabilities);
  if (compiled(data)) return [];
  return (compiled.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
    return `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${extra}`;
  });
}

export function isCapabilities(data: unknown): data is Capabilities {
  return capabilitiesProblems(data).length === 0;
}
