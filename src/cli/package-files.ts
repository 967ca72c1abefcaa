// Files of this installation found from the CLI's own location: dist/src/cli/ and the bundle's
// dist/bin/tvd/ (scripts/bundle-cli.ts) are equally deep, so one relative path serves both, as
// long as it is resolved here, in a module of src/cli itself.
import { fileURLToPath } from 'node:url';

/** The package root: three levels up from dist/src/cli (or dist/bin/tvd). */
export const PACKAGE_ROOT = new URL('../../../', import.meta.url);

/** The topology schema that `tvd init` points editors at. */
export const INSTALLED_SCHEMA = fileURLToPath(new URL('schemas/topology.schema.json', PACKAGE_ROOT));
