// Checks a capability model against schemas/capabilities.schema.json (Ajv, compiled once from
// the TypeBox model). Used for files given with --capabilities and for what a probe produced.
import AjvModule from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { Capabilities } from './schema.js';

type AjvClass = typeof AjvModule.default;
const Ajv2020: AjvClass = (AjvModule as unknown as { default?: AjvClass }).default ?? (AjvModule as unknown as AjvClass);

let compiled: ValidateFunction | undefined;

/** One line per problem, `/path: message`; empty when the model is valid. */
export function capabilitiesProblems(data: unknown): string[] {
  compiled ??= new Ajv2020({ allErrors: true, strict: false }).compile(Capabilities);
  if (compiled(data)) return [];
  return (compiled.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
    return `${e.instancePath || '/'}: ${e.message}${extra}`;
  });
}
