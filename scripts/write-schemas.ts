// Writes schemas/*.json from the TypeBox definitions, so schema and types cannot drift apart.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { schemaFiles } from './schema-files.js';

const root = process.argv[2] ?? process.cwd();
mkdirSync(join(root, 'schemas'), { recursive: true });
for (const [file, text] of Object.entries(schemaFiles())) writeFileSync(join(root, 'schemas', file), text);
