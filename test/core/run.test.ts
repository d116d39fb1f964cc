import { describe, expect, it } from 'vitest';
import { defineApplet } from '../../src/core/applet.js';
import { Env } from '../../src/core/env.js';
import { AppletError, UsageError } from '../../src/core/errors.js';
import { BytesSource, MemorySink } from '../../src/core/io.js';
import { runApplet } from '../../src/core/run.js';
import { testHost } from '../helpers/run.js';

async function launch(run: () => unknown, env: Record<string, string> = {}, style?: 'gnu' | 'busybox') {
  const decl = defineApplet({ name: 'demo', summary: 'Demo', usage: 'demo [-x]', options: { x: {} }, style, usageStatus: 2, run: run as () => number });
  const stdout = new MemorySink();
  const stderr = new MemorySink();
  const status = await runApplet(decl, {
    name: 'demo', args: [], env: new Env(env), cwd: '/', signal: new AbortController().signal,
    host: testHost(), stdin: new BytesSource(''), stdout, stderr,
  });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

describe('runApplet', () => {
  it('reports an AppletError on one line with its status', async () => {
    expect(await launch(() => { throw new AppletError('went wrong', 3); })).toEqual({ status: 3, stdout: '', stderr: 'demo: went wrong\n' });
  });
  it('reports usage errors in GNU style with the usage status', async () => {
    expect(await launch(() => { throw new UsageError('missing operand'); })).toEqual({
      status: 2, stdout: '', stderr: "demo: missing operand\nTry 'demo --help' for more information.\n",
    });
  });
  it('reports usage errors in BusyBox style with the usage block', async () => {
    const r = await launch(() => { throw new UsageError('missing operand'); }, {}, 'busybox');
    expect(r.stderr).toBe('demo: missing operand\nUsage: demo [-x]\n\nDemo\n');
  });
  it('words system errors as libc', async () => {
    const r = await launch(() => { throw Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' }); });
    expect(r).toEqual({ status: 1, stdout: '', stderr: 'demo: Permission denied\n' });
  });
  it('never shows a stack trace for a bug, unless TOOLBOX_DEBUG is set', async () => {
    const bug = () => { (undefined as unknown as { x: number }).x; return 0; };
    const r = await launch(bug);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^demo: internal error: .*\n$/);
    const d = await launch(bug, { TOOLBOX_DEBUG: '1' });
    expect(d.stderr).toMatch(/\n\s+at /);
  });
});
