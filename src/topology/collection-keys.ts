// A map key that is itself a list or map (`[a, b]: 1`, `? {a: 1}`) has no faithful plain-data
// form: js-yaml and eemeli/yaml turn it into different strings. No topology needs one, so both
// paths refuse it. Finding one needs the node tree, so the fast path asks only when the text
// has the marks of one (a closing bracket before a colon, a `?` key, an alias as a key).
import type { Document, Node } from 'yaml';
import { yamlLibrary } from './yaml-library.js';

const SUSPECT = /[\]}]\s*:(?:\s|$)|^[ \t-]*\?(?:\s|$)|\*[^\s,[\]{}]+\s*:(?:\s|$)/m;

export const COLLECTION_KEY_MESSAGE = 'a key must be plain text, not a list or a map';

export function mayHaveCollectionKey(text: string): boolean {
  return SUSPECT.test(text);
}

/** The offset of the first key that is a list, map or alias of one, if any. */
export function collectionKeyOffset(doc: Document.Parsed): number | undefined {
  const { isAlias, isScalar, visit } = yamlLibrary();
  let found: number | undefined;
  visit(doc, {
    Pair(_k, pair) {
      let key = pair.key as Node | null;
      if (isAlias(key)) key = key.resolve(doc) ?? null;
      if (key && !isScalar(key)) {
        found = (pair.key as Node).range?.[0] ?? 0;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** For the fast path: parse again with eemeli/yaml, only when the text looks suspect. */
export function findCollectionKey(text: string): number | undefined {
  if (!mayHaveCollectionKey(text)) return undefined;
  // uniqueKeys off: js-yaml has already refused duplicate keys, and the check is quadratic here.
  const doc = yamlLibrary().parseDocument(text, {
    version: '1.2',
    schema: 'core',
    uniqueKeys: false,
    prettyErrors: false,
    resolveKnownTags: false,
  });
  if (doc.errors.length > 0) return undefined; // the caller's own parse decides about those
  return collectionKeyOffset(doc);
}
