// The JSON text of each published schema, as written to schemas/ (by write-schemas.ts; the
// schema-files test compares them with the committed files). Build time only: it reads the TypeBox models.
import { Topology } from '../src/topology/schema.js';
import { Capabilities } from '../src/capabilities/schema.js';

export function schemaFiles(): Record<string, string> {
  return {
    'topology.schema.json': JSON.stringify(Topology, null, 2) + '\n',
    'capabilities.schema.json': JSON.stringify(Capabilities, null, 2) + '\n',
  };
}
