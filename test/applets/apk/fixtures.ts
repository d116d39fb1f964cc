// Shared helpers for the apk tests: where the shared corpus is (tests skip cleanly without it).
import * as fs from 'node:fs';
import * as path from 'node:path';

const CORPUS = path.resolve('../shared/corpus/apk');

/** A path under ../shared/corpus/apk, or undefined when the corpus is absent. */
export function corpusPath(rel: string): string | undefined {
  const p = path.resolve(CORPUS, rel);
  return fs.existsSync(p) ? p : undefined;
}
