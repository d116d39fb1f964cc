// apk's command line: global options and each command's own, accepted before or after the command
// word (getopt_long with permutation, as apk-tools parses them).

export interface OptDef {
  short?: string;
  long: string[];
  arg?: boolean;
}

const G = (long: string | string[], short?: string, arg = false): OptDef => ({
  short,
  long: typeof long === 'string' ? [long] : long,
  arg,
});

export const GLOBAL_OPTIONS: OptDef[] = [
  G('root', 'p', true),
  G('initdb'),
  G('repository', 'X', true),
  G('repositories-file', undefined, true),
  G('keys-dir', undefined, true),
  G('allow-untrusted'),
  G('arch', undefined, true),
  G('no-cache'),
  G('update-cache', 'U'),
  G('cache-max-age', undefined, true),
  G('cache-dir', undefined, true),
  G('no-network'),
  G('quiet', 'q'),
  G('verbose', 'v'),
  G('no-progress'),
  G('progress'),
  G('progress-fd', undefined, true),
  G('interactive', 'i'),
  G('no-interactive'),
  G('force', 'f'),
  G('force-overwrite'),
  G('force-broken-world'),
  G('force-missing-repositories'),
  G('force-refresh'),
  G('force-old-apk'),
  G('force-non-repository'),
  G('force-binary-stdout'),
  G('purge'),
  G('print-arch'),
  G('version', 'V'),
  G('wait', undefined, true),
  G('timeout', undefined, true),
  G('no-logfile'),
  G('help', 'h'),
];

export const COMMIT_OPTIONS: OptDef[] = [
  G('simulate', 's'),
  G('no-scripts'),
  G('no-commit-hooks'),
  G('clean-protected'),
  G('overlay-from-stdin'),
  G('initramfs-diskless-boot'),
];

export interface CommandDef {
  summary: string;
  usage: string;
  options: OptDef[];
  commit?: boolean;
}

export const COMMANDS: Record<string, CommandDef> = {
  add: {
    summary: 'Add packages to WORLD and commit changes',
    usage: 'apk add [<OPTIONS>...] PACKAGES...',
    options: [G('upgrade', 'u'), G('latest', 'l'), G('virtual', 't', true), G('no-chown'), G('usermode')],
    commit: true,
  },
  del: {
    summary: 'Remove packages from WORLD and commit changes',
    usage: 'apk del [<OPTIONS>...] PACKAGES...',
    options: [G('rdepends', 'r')],
    commit: true,
  },
  fix: {
    summary: 'Fix, reinstall or upgrade packages without modifying WORLD',
    usage: 'apk fix [<OPTIONS>...] PACKAGES...',
    options: [G('depends', 'd'), G('reinstall', 'r'), G('xattr', 'x'), G('upgrade', 'u'), G('directory-permissions')],
    commit: true,
  },
  update: { summary: 'Update repository indexes', usage: 'apk update [<OPTIONS>...]', options: [] },
  upgrade: {
    summary: 'Install upgrades available from repositories',
    usage: 'apk upgrade [<OPTIONS>...] [PACKAGES...]',
    options: [G('available', 'a'), G('latest', 'l'), G('no-self-upgrade'), G('self-upgrade-only'), G('ignore'), G('prune')],
    commit: true,
  },
  cache: {
    summary: 'Manage the local package cache',
    usage: 'apk cache [<OPTIONS>...] clean|download|sync',
    options: [G('upgrade', 'u'), G('latest', 'l'), G('add-dependencies'), G('available', 'a')],
  },
  info: {
    summary: 'Give detailed information about packages or repositories',
    usage: 'apk info [<OPTIONS>...] [PACKAGES...]',
    options: [
      G('all', 'a'),
      G('description', 'd'),
      G('installed', 'e'),
      G('contents', 'L'),
      G('provides', 'P'),
      G('rdepends', 'r'),
      G('depends', 'R'),
      G('size', 's'),
      G('webpage', 'w'),
      G('who-owns', 'W'),
      G('triggers', 't'),
      G('install-if'),
      G('license'),
      G('replaces'),
      G('rinstall-if'),
    ],
  },
  list: {
    summary: 'List packages matching a pattern or other criteria',
    usage: 'apk list [<OPTIONS>...] PATTERN',
    options: [
      G('installed', 'I'),
      G('orphaned', 'O'),
      G('available', 'a'),
      G(['upgradable', 'upgradeable'], 'u'),
      G('origin', 'o'),
      G('depends', 'd'),
      G('providers', 'P'),
    ],
  },
  dot: {
    summary: 'Render dependencies as graphviz graphs',
    usage: 'apk dot [<OPTIONS>...] PACKAGES...',
    options: [G('errors'), G('installed')],
  },
  policy: { summary: 'Show repository policy for packages', usage: 'apk policy [<OPTIONS>...]', options: [] },
  search: {
    summary: 'Search for packages by name or description',
    usage: 'apk search [<OPTIONS>...] PATTERN',
    options: [G('all', 'a'), G('description', 'd'), G('exact', 'e'), G('exact', 'x'), G('origin', 'o'), G('rdepends', 'r'), G('has-origin')],
  },
  index: {
    summary: 'Create repository index file from packages',
    usage: 'apk index [<OPTIONS>...] FILES...',
    options: [
      G('output', 'o', true),
      G('index', 'x', true),
      G('description', 'd', true),
      G('rewrite-arch', undefined, true),
      G('no-warnings'),
      G('merge'),
      G('prune-origin'),
    ],
  },
  fetch: {
    summary: 'Download packages from global repositories to a local directory',
    usage: 'apk fetch [<OPTIONS>...] PACKAGES...',
    options: [G('link', 'l'), G('recursive', 'R'), G('output', 'o', true), G('stdout', 's'), G('simulate'), G('world', 'w'), G('url')],
  },
  manifest: { summary: 'Show checksums of package contents', usage: 'apk manifest [<OPTIONS>...] PACKAGES...', options: [] },
  verify: { summary: 'Verify package integrity and signature', usage: 'apk verify [<OPTIONS>...] FILES...', options: [] },
  audit: {
    summary: 'Audit system for changes',
    usage: 'apk audit [<OPTIONS>...]',
    options: [G('backup'), G('system'), G('check-permissions'), G('recursive', 'r'), G('packages'), G('ignore-busybox-symlinks')],
  },
  stats: { summary: 'Show statistics about repositories and installations', usage: 'apk stats [<OPTIONS>...]', options: [] },
  version: {
    summary: 'Compare package versions',
    usage: 'apk version [<OPTIONS>...] [PACKAGES...]',
    options: [G('all', 'a'), G('check', 'c'), G('indexes', 'I'), G('limit', 'l', true), G('test', 't')],
  },
};

export type OptValues = Map<string, string[]>;

export interface ParsedArgs {
  command?: string;
  opts: OptValues;
  args: string[];
}

export class ApkUsageError extends Error {}

/** Parse argv: options from the global table, the commit table and, once the command word is seen,
 *  the command's own (which may therefore also come before it, as apk permutes). */
export function parseApkArgs(argv: readonly string[]): ParsedArgs {
  const opts: OptValues = new Map();
  const args: string[] = [];
  let command: string | undefined;
  // the command word is the first operand; find it first so its options are known everywhere
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a.startsWith('-') && a !== '-') {
      const def = findOption(a, undefined);
      if (def?.arg && !a.includes('=') && (a.startsWith('--') || a.length === 2)) i++;
      continue;
    }
    command = a;
    break;
  }
  const cmdDef = command ? COMMANDS[command] : undefined;
  const tables = [...GLOBAL_OPTIONS, ...(cmdDef?.commit ? COMMIT_OPTIONS : []), ...(cmdDef?.options ?? [])];
  const set = (def: OptDef, value: string) => {
    const key = def.long[0]!;
    const list = opts.get(key);
    if (list) list.push(value);
    else opts.set(key, [value]);
  };
  let seenCommand = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const matches = tables.filter((d) => d.long.some((l) => l === name));
      const prefix = matches.length ? matches : tables.filter((d) => d.long.some((l) => l.startsWith(name)));
      const uniq = [...new Set(prefix)];
      if (uniq.length !== 1 || name === '') throw new ApkUsageError(`unrecognized option '${a}'`);
      const def = uniq[0]!;
      if (def.arg) {
        if (eq >= 0) set(def, a.slice(eq + 1));
        else if (i + 1 < argv.length) set(def, argv[++i]!);
        else throw new ApkUsageError(`option '--${def.long[0]}' requires an argument`);
      } else set(def, '');
      continue;
    }
    if (a.startsWith('-') && a !== '-') {
      for (let j = 1; j < a.length; j++) {
        const def = tables.find((d) => d.short === a[j]);
        if (!def) throw new ApkUsageError(`invalid option -- '${a[j]}'`);
        if (def.arg) {
          if (j + 1 < a.length) set(def, a.slice(j + 1));
          else if (i + 1 < argv.length) set(def, argv[++i]!);
          else throw new ApkUsageError(`option requires an argument -- '${a[j]}'`);
          break;
        }
        set(def, '');
      }
      continue;
    }
    if (!seenCommand && a === command) {
      seenCommand = true;
      continue;
    }
    args.push(a);
  }
  return { command, opts, args };
}

function findOption(a: string, _cmd: undefined): OptDef | undefined {
  const all = [...GLOBAL_OPTIONS, ...COMMIT_OPTIONS, ...Object.values(COMMANDS).flatMap((c) => c.options)];
  if (a.startsWith('--')) {
    const name = a.slice(2).split('=')[0]!;
    return all.find((d) => d.long.includes(name));
  }
  return all.find((d) => d.short === a[1]);
}
