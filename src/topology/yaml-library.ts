// eemeli/yaml, loaded on first use. Only input with a problem to place (or with the marks of a
// collection key) needs its node tree; valid input never loads it (about 20 ms of a start).
// Its Node build is CommonJS, so a synchronous require keeps the callers synchronous.
import { createRequire } from 'node:module';

type YamlLibrary = typeof import('yaml');

let library: YamlLibrary | undefined;

export function yamlLibrary(): YamlLibrary {
  return (library ??= createRequire(import.meta.url)('yaml') as YamlLibrary);
}
