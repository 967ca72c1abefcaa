// The JSON text of each published schema, as written to schemas/.
import { Topology } from './schema.js';
import { Capabilities } from '../capabilities/schema.js';

export function schemaFiles(): Record<string, string> {
  return {
    'topology.schema.json': JSON.stringify(Topology, null, 2) + '\n',
    'capabilities.schema.json': JSON.stringify(Capabilities, null, 2) + '\n',
  };
}
