// libeinfo's output rules: the ` * ` lines, the status column of eend with and without colour,
// quietness, verbosity, indentation, EINFO_COLOR and the newline after a line left open.
import { describe, expect, it } from 'vitest';
import { Env } from '../../../src/core/env.js';
import { Color, Einfo, type EinfoOut, isNo, yesno } from '../../../src/applets/openrc/einfo.js';

function make(env: Record<string, string> = {}, tty = false, columns = 80) {
  const written: [number, string][] = [];
  const out: EinfoOut = {
    write: (fd, text) => void written.push([fd, text]),
    isatty: () => tty,
    columns: () => (tty ? columns : undefined),
  };
  const e = new Einfo(new Env(env), out);
  const stream = (fd: number) => written.filter(([f]) => f === fd).map(([, t]) => t).join('');
  return { e, stdout: () => stream(1), stderr: () => stream(2), all: () => written.map(([, t]) => t).join('') };
}

describe('einfo', () => {
  it('prints ebegin and eend on one line without colour', async () => {
    const t = make();
    await t.e.ebegin('Starting sleeper');
    await t.e.eend(0);
    expect(t.stdout()).toBe(' * Starting sleeper ... [ ok ]\n');
    expect(t.stderr()).toBe('');
  });

  it('puts a failure message and the status column on stderr, padded to the column', async () => {
    const t = make();
    t.e.env.set('EINFO_LASTCMD', 'ebegin');
    await t.e.eend(1, 'could not start, as designed');
    expect(t.stderr()).toBe(`\n * could not start, as designed\n${' '.repeat(42)}[ !! ]\n`);
    const w = make({ COLUMNS: '60' });
    await w.e.eend(1, 'Failed to start sleeper');
    expect(w.stderr()).toBe(` * Failed to start sleeper\n${' '.repeat(27)}[ !! ]\n`);
    const warn = make();
    await warn.e.eend(1, 'a warning end', true);
    expect(warn.stderr()).toBe(` * a warning end\n${' '.repeat(57)}[ !! ]\n`);
  });

  it('returns eend\'s status and eerror\'s 1', async () => {
    const t = make();
    expect(await t.e.eend(3)).toBe(3);
    expect(await t.e.eerror('x')).toBe(1);
    expect(await t.e.einfo('x')).toBe(0);
    expect(t.stdout()).toBe(' [ !! ]\n * x\n');
  });

  it('colours on a terminal that does colour: star, up and right, bracket', async () => {
    const t = make({ TERM: 'xterm' }, true);
    await t.e.ebegin('Starting withcmd');
    await t.e.eend(0);
    await t.e.ewarn('a warning line');
    await t.e.eerror('an error line');
    expect(t.all()).toBe(
      ' \x1b[1m\x1b[32m*\x1b[m Starting withcmd\x1b[K ...\n' +
        '\x1b[A\x1b[73C \x1b[1m\x1b[34m[\x1b[1m\x1b[32m ok \x1b[1m\x1b[34m]\x1b[m\n' +
        ' \x1b[1m\x1b[33m*\x1b[m a warning line\x1b[K\n' +
        ' \x1b[1m\x1b[31m*\x1b[m an error line\x1b[K\n',
    );
  });

  it('does not colour for an unknown TERM, EINFO_COLOR=NO, or no terminal', async () => {
    for (const [env, tty] of [[{ TERM: 'dumb' }, true], [{ TERM: 'xterm', EINFO_COLOR: 'NO' }, true], [{ TERM: 'xterm' }, false]] as const) {
      const t = make(env, tty);
      await t.e.einfo('plain');
      expect(t.stdout()).toBe(' * plain\n');
    }
    const c = make({ TERM: 'my-color-term' }, true);
    expect(c.e.colour(1)).toBe(true);
  });

  it('takes colours from EINFO_COLOR', async () => {
    const t = make({ TERM: 'xterm', EINFO_COLOR: 'good=5;0:' }, true);
    expect(t.e.ecolor(Color.Good)).toBe('\x1b[m\x1b[35m');
    expect(t.e.ecolor(Color.Bad)).toBe('\x1b[1m\x1b[31m');
  });

  it('is quiet with EINFO_QUIET, silent on errors with EERROR_QUIET, verbose with EINFO_VERBOSE', async () => {
    const q = make({ EINFO_QUIET: 'yes' });
    await q.e.einfo('info');
    await q.e.ebegin('begin');
    expect(await q.e.eend(2)).toBe(2);
    await q.e.eerror('error');
    expect(q.all()).toBe(' * error\n');
    const qq = make({ EERROR_QUIET: 'YES' });
    await qq.e.eerror('gone');
    expect(qq.all()).toBe('');
    const v = make();
    await v.e.einfov('hidden');
    expect(await v.e.eendv(1)).toBe(0);
    v.e.env.set('EINFO_VERBOSE', 'yes');
    await v.e.einfov('shown');
    expect(v.all()).toBe(' * shown\n');
  });

  it('starts a new line after one left open, except after ewarn', async () => {
    const t = make();
    await t.e.einfon('no newline');
    await t.e.einfo('after');
    expect(t.all()).toBe(' * no newline\n * after\n');
    t.e.env.set('EINFO_LASTCMD', 'ewarn');
    await t.e.einfo('same');
    expect(t.all()).toBe(' * no newline\n * after\n * same\n');
  });

  it('indents by EINFO_INDENT, two more per eindent, at most 40 (read as C reads it: 0-led is octal)', async () => {
    const t = make();
    t.e.eindent();
    expect(t.e.env.get('EINFO_INDENT')).toBe('00000002');
    await t.e.einfo('two');
    t.e.env.set('EINFO_INDENT', '38');
    t.e.eindent();
    expect(t.e.env.get('EINFO_INDENT')).toBe('00000040');
    t.e.env.set('EINFO_INDENT', '99');
    t.e.eindent();
    expect(t.e.env.get('EINFO_INDENT')).toBe('00000040');
    // libeinfo writes 8 as 00000008 and reads that back as octal 0: the fifth level is the first again
    t.e.env.set('EINFO_INDENT', '00000008');
    t.e.eindent();
    expect(t.e.env.get('EINFO_INDENT')).toBe('00000002');
    t.e.env.set('EINFO_INDENT', '00000002');
    t.e.eoutdent();
    expect(t.e.env.has('EINFO_INDENT')).toBe(false);
    expect(t.all()).toBe(' *   two\n');
  });

  it('reads yes and no words as rc_yesno does', () => {
    expect(['YES', 'y', 'True', 'on', '1'].every(yesno)).toBe(true);
    expect(['', 'nope', undefined].some((v) => yesno(v))).toBe(false);
    expect(['NO', 'n', 'false', 'OFF', '0'].every(isNo)).toBe(true);
  });
});
