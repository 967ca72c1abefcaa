// The topology validator that scripts/write-validators.ts generates with Ajv at build time into
// dist/src/topology/schema-validator.js (it has no source here): Ajv's ValidateFunction shape.
import type { ErrorObject } from 'ajv';

declare const validate: { (data: unknown): boolean; errors?: ErrorObject[] | null };
export default validate;
