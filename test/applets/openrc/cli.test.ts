// OpenRC's command lines: usage texts as _usage.c prints them, getopt_long's order and messages.
import { describe, expect, it } from 'vitest';
import { getoptLong, usageText } from '../../../src/applets/openrc/cli.js';
import { run } from '../../helpers/run.js';

describe('OpenRC command lines', () => {
  it('prints openrc\'s usage with 0.45.2\'s help strings one off from its options', async () => {
    const r = await run('openrc --help');
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout).toBe(
      'Usage: openrc [options] [<runlevel>]\n\n' +
        'Options: [ a:no:s:SChqVv ]\n' +
        '  -n, --no-stop                     do not stop any services\n' +
        '  -o, --override <arg>              override the next runlevel to change into\n' +
        `${' '.repeat(36)}\n` +
        '  -s, --service <arg>               when leaving single user or boot runlevels\n' +
        '  -S, --sys                         runs the service specified with the rest\n' +
        `${' '.repeat(36)}of the arguments\n` +
        '  -h, --help                        output the RC system type, if any\n' +
        '  -C, --nocolor                     Display this help output\n' +
        '  -V, --version                     Disable color output\n' +
        '  -v, --verbose                     Display software version\n' +
        '  -q, --quiet                       Run verbosely\n',
    );
  });

  it('lists long-only options without a letter (supervise-daemon)', async () => {
    const r = await run(['supervise-daemon', 'x', '--help'], { env: { RC_SVCNAME: 'x' } });
    expect(r.stdout).toContain('\n      --capabilities <arg>          Set the inheritable, ambient and bounding capabilities\n');
    expect(r.stdout).toContain('\n  -P, --respawn-period <arg>        Set respawn time period\n');
    expect(await run(['supervise-daemon', 'x'], { env: {} })).toMatchObject({ status: 1, stderr: ' * supervise-daemon: The RC_SVCNAME environment variable is not set\n' });
    expect(await run(['supervise-daemon', 'y'], { env: { RC_SVCNAME: 'x' } })).toMatchObject({ status: 1, stderr: ' * supervise-daemon: the first argument is y and must be x\n' });
  });

  it('takes options in order and reports each error where it is', () => {
    const spec = { usage: 'Usage: t', getopt: 'ab:', longopts: [{ name: 'all', letter: 'a', has: 0 as const, help: '' }, { name: 'bee', letter: 'b', has: 1 as const, help: '' }, { name: 'beet', has: 0 as const, help: '' }] };
    const operands: string[] = [];
    const items = [...getoptLong(['x', '-ab1', '--al', '--be', '--bee=2', '-z', '--all=3', '-b', '--', '-a'], spec, operands)];
    expect(items).toEqual([
      { kind: 'option', key: 'a' },
      { kind: 'option', key: 'b', value: '1' },
      { kind: 'option', key: 'a', value: undefined },
      { kind: 'error', message: "option '--be' is ambiguous; possibilities: '--bee' '--beet'" },
      { kind: 'option', key: 'b', value: '2' },
      { kind: 'error', message: "invalid option -- 'z'" },
      { kind: 'error', message: "option '--all' doesn't allow an argument" },
      // a value may be anything, `--` too
      { kind: 'option', key: 'b', value: '--' },
      { kind: 'option', key: 'a' },
    ]);
    expect(operands).toEqual(['x']);
    expect(usageText(spec)).toBe("Usage: t\n\nOptions: [ ab:ChqVv ]\n  -a, --all                         \n  -b, --bee <arg>                   \n      --beet                        \n  -h, --help                        Display this help output\n  -C, --nocolor                     Disable color output\n  -V, --version                     Display software version\n  -v, --verbose                     Run verbosely\n  -q, --quiet                       Run quietly (repeat to suppress errors)\n");
  });
});
