// Schema check of a capability model, with the validator Ajv generated from the TypeBox object at
// build time (scripts/write-validators.ts).
import validate from './schema-validator.js';
import type { Capabilities } from './schema.js';

/** The schema problems of `data` as `path: message` lines; empty when it is a valid capability model. */
export function capabilitiesProblems(data: unknown): string[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
    return `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${extra}`;
  });
}

export function isCapabilities(data: unknown): data is Capabilities {
  return capabilitiesProblems(data).length === 0;
}
