// ls against GNU ls (coreutils 9.1) on a tree with every file type, odd names, old/future dates,
// set-id and sticky modes and several owners, across the flag matrix, with LC_ALL=C TZ=UTC and a
// fixed COLUMNS; and on a terminal (through script(1)) for the tty defaults.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOOLBOX } from '../helpers/binary.js';
import { makeFixture } from '../helpers/fstree.js';
import { hasTool, runTool } from '../helpers/reference.js';
import { run } from '../helpers/run.js';

const gnuLs = hasTool('ls') && runTool(['ls', '--version']).stdout.includes('GNU');
let dir = '';

interface Case {
  args: string[];
  env?: Record<string, string>;
  /** Compare the lines as sets, and why. */
  unordered?: string;
}

// dircolors' default database (GNU coreutils 9.1), as `dircolors -b` sets it.
const DIRCOLORS =
  'rs=0:di=01;34:ln=01;36:mh=00:pi=40;33:so=01;35:do=01;35:bd=40;33;01:cd=40;33;01:or=40;31;01:mi=00:su=37;41:sg=30;43:ca=00:tw=30;42:ow=34;42:st=37;44:ex=01;32:*.tar=01;31:*.tgz=01;31:*.zip=01;31:*.gz=01;31:*.jpg=01;35:*.png=01;35:*.mp3=00;36:*.txt=00;32';

const FORMATS = [[], ['-l'], ['-C'], ['-x'], ['-m'], ['-1'], ['-s'], ['-ls'], ['-li'], ['-lsh'], ['-lhs', '--si'], ['-n'], ['-g'], ['-o'], ['-lG']];
const EXTRAS = [[], ['-a'], ['-A'], ['-F'], ['-p'], ['--file-type'], ['-r'], ['-t'], ['-S'], ['-X'], ['-v'], ['-b'], ['-Q'], ['-q'], ['-N'], ['-L'], ['-R']];

const CASES: Case[] = [
  ...FORMATS.flatMap((f) => EXTRAS.map((e) => ({ args: [...f, ...e] }))),
  { args: ['-U'] },
  { args: ['-lU'] },
  { args: ['-aU'], unordered: 'Node reads directories without . and .., so ls puts them first, not where readdir has them' },
  { args: ['-f'], unordered: 'the same: . and .. come first' },
  { args: ['-lc'] },
  { args: ['-lu'] },
  { args: ['-lct'] },
  { args: ['-lut'] },
  { args: ['-c'] },
  { args: ['-u'] },
  { args: ['-lt', '--time=ctime'] },
  { args: ['-l', '--time=birth'] },
  { args: ['-l', '--full-time'] },
  { args: ['-l', '--time-style=long-iso'] },
  { args: ['-l', '--time-style=iso'] },
  { args: ['-l', '--time-style=+%s %N'] },
  { args: ['-l', '--time-style=+old %F\nnew %T'] },
  { args: ['-l', '--time-style=posix-long-iso'] },
  { args: ['-l'], env: { TIME_STYLE: 'iso' } },
  { args: ['-d', '.', 'dir', 'link', 'linkdir', 'dangling'] },
  { args: ['-ld', '.', 'dir', 'link', 'linkdir', 'dangling'] },
  { args: ['file', 'link', 'dir', 'linkdir', 'deep'] },
  { args: ['-l', 'file', 'link', 'dir', 'linkdir', 'sub dir'] },
  { args: ['-H', 'linkdir', 'link'] },
  { args: ['-lH', 'linkdir', 'link'] },
  { args: ['-L', 'linkdir', 'link', 'dangling'] },
  { args: ['--dereference-command-line-symlink-to-dir', '-l', 'linkdir'] },
  { args: ['nonexist'] },
  { args: ['nonexist', 'file', 'dir'] },
  { args: ['-R', 'deep'] },
  { args: ['-lR', 'deep', 'dir'] },
  { args: ['-RL', 'deep'] },
  { args: ['-aR', 'deep'] },
  { args: ['-k', '-s'] },
  { args: ['-lk'] },
  { args: ['-B'] },
  { args: ['-I', 'file*'] },
  { args: ['--hide=v*'] },
  { args: ['-a', '--hide=v*'] },
  { args: ['--group-directories-first'] },
  { args: ['-l', '--group-directories-first'] },
  { args: ['--author', '-l'] },
  { args: ['-Z'] },
  { args: ['-lZ'] },
  { args: ['-m', '-w', '40'] },
  { args: ['-C', '-w', '120'] },
  { args: ['-x', '-w', '30'] },
  { args: ['-C', '-T', '4'] },
  { args: ['-w', '0'] },
  { args: ['-x', '-w', '0'] },
  { args: ['-l', '--block-size=K'] },
  { args: ['-l', '--block-size=1M'] },
  { args: ['-s', '--block-size=KB'] },
  { args: ['-lD'] },
  { args: ['-lDR', 'deep'] },
  { args: ['--zero'] },
  { args: ['-l', '--zero'] },
  { args: ['--hyperlink', '-l'] },
  { args: ['--indicator-style=classify', '-l'] },
  { args: ['--format=commas'] },
  { args: ['--format=single-column', '-l'] },
  { args: ['-l1'] },
  { args: ['-1l'] },
  { args: ['-lf'], unordered: '. and .. placement, as -f' },
  { args: ['-fl'], unordered: '. and .. placement, as -f' },
  { args: ['--sort=size', '-r'] },
  { args: ['--sort=width'] },
  { args: ['--sort=version', '-1'] },
  ...['literal', 'shell', 'shell-always', 'shell-escape', 'shell-escape-always', 'c', 'c-maybe', 'escape', 'locale', 'clocale'].flatMap((q) => [
    { args: [`--quoting-style=${q}`] },
    { args: [`--quoting-style=${q}`, '-l'] },
    { args: [`--quoting-style=${q}`, '-C'] },
  ]),
  { args: [], env: { QUOTING_STYLE: 'c' } },
  { args: ['-C'], env: { COLUMNS: '40' } },
  { args: ['-C'], env: { COLUMNS: 'x' } },
  { args: ['-C'], env: { TABSIZE: 'x' } },
  { args: ['-C'], env: { TABSIZE: '0' } },
  { args: ['-ls'], env: { LS_BLOCK_SIZE: '1K' } },
  { args: ['-ls'], env: { BLOCK_SIZE: 'M' } },
  { args: ['-s'], env: { POSIXLY_CORRECT: '1' } },
  // colour: GNU's defaults (TERM known), dircolors' database, odd LS_COLORS
  ...[['--color=always'], ['-l', '--color=always'], ['-C', '--color=always'], ['-F', '--color=always'], ['-lL', '--color=always'], ['-R', '--color=always', 'deep']].flatMap((a) => [
    { args: a, env: { TERM: 'xterm' } },
    { args: a, env: { LS_COLORS: DIRCOLORS } },
    { args: a, env: { LS_COLORS: 'ln=target:or=01;31:mi=01;05;37;41:*.txt=01;32:*.TXT=01;33:no=00;36:ec=\\e[0m' } },
    { args: a, env: { LS_COLORS: 'rs=1:lc=\\e[2:rc=X:di=' } },
  ]),
  { args: ['--color=always'], env: { TERM: 'dumb' } },
  { args: ['--color=always', '-d', 'dir'], env: { LS_COLORS: 'xx=1' } },
  { args: ['--color=always', '-d', 'dir'], env: { LS_COLORS: 'di=\\' } },
  { args: ['-f', '--color=always'], env: { TERM: 'xterm' }, unordered: '. and .. placement, as -f' },
  { args: ['--color=always', '-f'], env: { TERM: 'xterm' }, unordered: '. and .. placement, as -f' },
  // errors
  ...[['-z'], ['--bogus'], ['--col'], ['--color=x'], ['--sort=x'], ['--time=x'], ['--format=v'], ['--quoting-style=x'], ['--time-style=x', '-l'], ['-w', 'x'], ['-T', 'x'], ['--block-size=x', '-l'], ['--time-style=+a\nb\nc', '-l']].map((a) => ({ args: a })),
];

function normalise(out: string, unordered: boolean): string {
  // (the colour reset GNU writes before the first colour lands on whichever line comes first)
  return unordered ? out.replace(/^\x1b\[0m/, '').split('\n').sort().join('\n') : out;
}

describe.skipIf(!gnuLs)('ls vs GNU ls', () => {
  beforeAll(async () => {
    dir = await makeFixture();
  });

  it.each(CASES.map((c) => [[c.args.join(' '), c.env ? JSON.stringify(c.env) : ''].join(' '), c]))('ls %s', async (_, c) => {
    const { args, env, unordered } = c as Case;
    const fullEnv = { COLUMNS: '80', ...env };
    const gnu = runTool(['ls', ...args], { cwd: dir, env: fullEnv });
    const ours = await run(['ls', ...args], { cwd: dir, env: { LC_ALL: 'C', TZ: 'UTC', ...fullEnv } });
    expect(normalise(ours.stdout, !!unordered)).toBe(normalise(gnu.stdout, !!unordered));
    expect(ours.stderr).toBe(gnu.stderr);
    expect(ours.status).toBe(gnu.status);
  });
});

// On a terminal: shell-escape quoting, ? for control characters, columns by default.
describe.skipIf(!gnuLs || !hasTool('script'))('ls on a terminal vs GNU ls', () => {
  beforeAll(async () => {
    dir ||= await makeFixture();
  });
  const onTty = (cmd: string, locale: string) =>
    spawnSync('script', ['-qec', `stty cols 80; ${cmd}`, '/dev/null'], { cwd: dir, env: { PATH: process.env.PATH, LC_ALL: locale, TZ: 'UTC', TERM: 'xterm' }, encoding: 'latin1', timeout: 30_000 }).stdout.replace(/\r/g, '');
  it.each([[''], ['-l'], ['-x'], ['-q'], ['--show-control-chars'], ['-N'], ['-b'], ['--quoting-style=shell'], ['-w', '60'], ['-R', 'deep'], ['--color=auto'], ['-F']].map((a) => [a.join(' '), a]))(
    'ls %s',
    (_, args) => {
      for (const locale of ['C', 'C.UTF-8']) {
        const a = (args as string[]).map((x) => `'${x}'`).join(' ');
        expect(onTty(`${path.join(path.dirname(TOOLBOX), 'toolbox')} ls ${a}`, locale), locale).toBe(onTty(`ls ${a}`, locale));
      }
    },
  );
});
