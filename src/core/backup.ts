// GNU's backups of files about to be replaced (cp, mv, ln, install: -b, --backup[=CONTROL],
// -S/--suffix), with gnulib's backupfile rules: simple `name~`, numbered `name.~N~`, or numbered
// only where numbered backups already exist; VERSION_CONTROL and SIMPLE_BACKUP_SUFFIX as defaults.
import * as fs from 'node:fs';
import { argmatch, type ArgTable } from './argmatch.js';
import { fsPath } from './bytes.js';
import type { Env } from './env.js';

export type BackupType = 'none' | 'simple' | 'numbered' | 'existing';

const CONTROLS: ArgTable<BackupType> = [
  ['none', 'none'],
  ['off', 'none'],
  ['simple', 'simple'],
  ['never', 'simple'],
  ['existing', 'existing'],
  ['nil', 'existing'],
  ['numbered', 'numbered'],
  ['t', 'numbered'],
];

export interface Backup {
  type: BackupType;
  suffix: string;
}

/**
 * The backup settings from the options: `control` is -b/--backup's value (true when given without
 * one, undefined when not given), `suffix` -S's. Throws UsageError for an unknown control word.
 */
export function backupSettings(control: string | true | undefined, suffix: string | undefined, env: Env): Backup {
  let type: BackupType = 'none';
  if (control !== undefined) {
    if (control !== true && control !== '') type = argmatch(control, CONTROLS, 'backup type');
    else {
      const fromEnv = env.get('VERSION_CONTROL');
      type = fromEnv ? argmatch(fromEnv, CONTROLS, '$VERSION_CONTROL') : 'existing';
    }
  }
  let chosen = suffix ?? env.get('SIMPLE_BACKUP_SUFFIX');
  if (!chosen || chosen.includes('/')) chosen = '~';
  return { type, suffix: chosen };
}

/** The name to move `file` (absolute) to before replacing it: always `file` plus an ending. */
export function backupName(file: string, backup: Backup): string {
  if (backup.type === 'simple') return file + backup.suffix;
  const slash = file.lastIndexOf('/');
  const dir = slash === -1 ? '.' : file.slice(0, slash + 1) || '/';
  const base = file.slice(slash + 1);
  let highest = 0;
  try {
    for (const name of fs.readdirSync(fsPath(dir), { encoding: 'latin1' })) {
      if (!name.startsWith(`${base}.~`) || !name.endsWith('~')) continue;
      const digits = name.slice(base.length + 2, -1);
      if (/^[1-9]\d*$/.test(digits)) highest = Math.max(highest, Number(digits));
    }
  } catch {
    // an unreadable directory has no numbered backups we can see
  }
  if (backup.type === 'existing' && highest === 0) return file + backup.suffix;
  return `${file}.~${highest + 1}~`;
}
