// The built executable, for end-to-end tests, and throwaway root filesystems holding links to it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './run.js';

export const TOOLBOX = path.resolve('dist/toolbox');

export function requireBinary(): string {
  if (!fs.existsSync(TOOLBOX)) throw new Error('dist/toolbox is missing: run `npm run build` first (npm test does)');
  return TOOLBOX;
}

/** A temporary rootfs with bin/toolbox (a link to dist/toolbox) and relative symlinks to it for the
 *  given applets: { cat: 'bin', 'rc-service': 'sbin' }. */
export function makeRootfs(links: Record<string, string>): string {
  const root = tempDir('toolbox-rootfs-');
  fs.mkdirSync(path.join(root, 'bin'));
  fs.symlinkSync(requireBinary(), path.join(root, 'bin/toolbox'));
  for (const [name, dir] of Object.entries(links)) {
    fs.mkdirSync(path.join(root, dir), { recursive: true });
    fs.symlinkSync(path.relative(path.join(root, dir), path.join(root, 'bin/toolbox')), path.join(root, dir, name));
  }
  return root;
}
