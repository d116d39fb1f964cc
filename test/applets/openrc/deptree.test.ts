// The dependency tree: OpenRC's rules for building it (back-references, providers, broken needs,
// before/after), its cache format, and resolution (start order, providers chosen by state and
// runlevel, loops).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { completeTree, DEP_START, DEP_STRICT, DEP_TRACE, type DepTree, type DepView, depends, loadTree, loopThrough, saveTree, treeFromDepends } from '../../../src/applets/openrc/deptree.js';
import { Rc, State } from '../../../src/applets/openrc/state.js';
import { tempDir } from '../../helpers/run.js';

type Rec = [string, string | undefined, string[]];

function build(records: Rec[], sys?: string) {
  const config: string[] = [];
  const tree = treeFromDepends(records, config);
  const warnings: string[] = [];
  completeTree(tree, sys, (w) => warnings.push(w));
  return { tree, config, warnings };
}

function view(tree: DepTree, states: Record<string, number> = {}, levels: Record<string, string[]> = {}, self?: string): DepView {
  return {
    tree,
    state: (s) => states[s] ?? State.Stopped,
    inRunlevel: (s, l) => (levels[l] ?? []).includes(s),
    bootlevel: 'boot',
    self,
  };
}

const SAMPLE: Rec[] = [
  ['dependent', undefined, []],
  ['dependent', 'ineed', ['sleeper']],
  ['failing', undefined, []],
  ['sleeper', undefined, []],
  ['withcmd', undefined, []],
  ['withcmd', 'iafter', ['sleeper']],
];

describe('deptree', () => {
  it('adds back-references as OpenRC writes them to its cache', () => {
    const { tree } = build(SAMPLE);
    const root = tempDir();
    const rc = new Rc(root);
    fs.mkdirSync(path.join(root, 'run/openrc'), { recursive: true });
    saveTree(rc, tree, []);
    expect(fs.readFileSync(path.join(root, 'run/openrc/deptree'), 'latin1')).toBe(
      "depinfo_0_service='dependent'\ndepinfo_0_ineed_0='sleeper'\n" +
        "depinfo_1_service='failing'\n" +
        "depinfo_2_service='sleeper'\ndepinfo_2_needsme_0='dependent'\ndepinfo_2_ibefore_0='withcmd'\n" +
        "depinfo_3_service='withcmd'\ndepinfo_3_iafter_0='sleeper'\n",
    );
    expect(loadTree(rc)).toEqual(tree);
    expect(fs.existsSync(path.join(root, 'run/openrc/depconfig'))).toBe(false);
    saveTree(rc, tree, ['/etc/foo.conf']);
    expect(fs.readFileSync(path.join(root, 'run/openrc/depconfig'), 'latin1')).toBe('/etc/foo.conf\n');
  });

  it('records providers, broken needs, removals and the config files', () => {
    const { tree, config, warnings } = build([
      ['netup', 'iprovide', ['net', 'netup']],
      ['web', 'ineed', ['net', 'missing', 'helper.sh']],
      ['web', 'iuse', ['logger', '!logger']],
      ['web', 'config', ['/etc/web.conf']],
    ]);
    expect(tree.get('net')).toEqual(new Map([['providedby', ['netup']], ['needsme', ['web']]]));
    expect(tree.get('netup')).toEqual(new Map([['iprovide', ['net']]]));
    expect(tree.get('web')!.get('broken')).toEqual(['missing']);
    expect(tree.get('web')!.has('iuse')).toBe(false);
    expect(tree.get('web')!.get('ineed')).toEqual(['net', 'missing']);
    expect(config).toEqual(['/etc/web.conf']);
    expect(warnings).toEqual(["Service `web' needs non existent service `missing'\n"]);
  });

  it('drops services keyworded out of the system they run on', () => {
    const { tree } = build([
      ['cgroups', 'keyword', ['-docker', '-lxc']],
      ['cgroups', 'iprovide', ['cg']],
      ['app', 'iafter', ['cgroups', 'cg']],
    ], 'DOCKER');
    expect(tree.has('cgroups')).toBe(false);
    expect(tree.get('app')!.has('iafter')).toBe(false);
  });

  it('lets before and after cancel each other, and drops before-links a chain already orders', () => {
    const { tree } = build([
      ['a', 'iafter', ['*', 'b']],
      ['a', 'ibefore', ['b']],
      ['b', undefined, []],
      ['c', 'ineed', ['d']],
      ['c', 'ibefore', ['d']],
      ['d', undefined, []],
    ]);
    expect(tree.get('a')!.get('iafter')).toEqual(['*']);
    expect(tree.get('a')!.get('ibefore')).toEqual(['b']);
    expect(tree.get('c')!.has('ibefore')).toBe(false);
    expect(tree.get('d')!.get('needsme')).toEqual(['c']);
  });

  it('orders services after what they need, use and come after', () => {
    const { tree } = build(SAMPLE);
    const v = view(tree, {}, { default: ['sleeper', 'withcmd'] });
    const types = ['ineed', 'iuse', 'iafter'];
    expect(depends(v, types, ['withcmd', 'dependent', 'failing', 'sleeper'], 'default', DEP_STRICT | DEP_TRACE | DEP_START)).toEqual(['sleeper', 'withcmd', 'dependent', 'failing']);
    // asking for oneself lists only the others
    expect(depends({ ...v, self: 'dependent' }, ['ineed'], ['dependent'], 'default', DEP_TRACE)).toEqual(['sleeper']);
    expect(depends(v, ['needsme'], ['sleeper'], 'default', 0)).toEqual(['dependent', 'sleeper']);
    // without tracing a type lists its services as recorded
    expect(depends(v, ['ibefore'], ['sleeper'], 'default', 0)).toEqual(['withcmd', 'sleeper']);
  });

  it('uses a service only when it is in the runlevel or started; needs and wants always', () => {
    const { tree } = build([
      ['app', 'iuse', ['logger']],
      ['app', 'iwant', ['extra']],
      ['logger', undefined, []],
      ['extra', undefined, []],
    ]);
    const order = (states: Record<string, number>, levels: Record<string, string[]>) => depends(view(tree, states, levels, 'app'), ['ineed', 'iwant', 'iuse'], ['app'], 'default', DEP_TRACE);
    expect(order({}, {})).toEqual(['extra']);
    expect(order({}, { default: ['logger'] })).toEqual(['extra', 'logger']);
    expect(order({ logger: State.Started }, {})).toEqual(['extra', 'logger']);
    expect(order({}, { boot: ['logger'] })).toEqual(['extra', 'logger']);
  });

  it('picks the provider of a virtual service by runlevel, then state, else the first', () => {
    const { tree } = build([
      ['dhcp', 'iprovide', ['net']],
      ['static', 'iprovide', ['net']],
      ['docker', 'ineed', ['net']],
    ]);
    const need = (states: Record<string, number>, levels: Record<string, string[]>, options = DEP_TRACE) =>
      depends(view(tree, states, levels, 'docker'), ['ineed'], ['docker'], 'default', options);
    expect(need({}, {})).toEqual(['dhcp']);
    expect(need({}, { default: ['static'] }, DEP_TRACE | DEP_STRICT)).toEqual(['static']);
    expect(need({ static: State.Started }, {})).toEqual(['static']);
    // two running: neither is waited for
    expect(need({ static: State.Started, dhcp: State.Started }, {})).toEqual([]);
  });

  it('finds dependency loops', () => {
    const { tree } = build([
      ['a', 'ineed', ['b']],
      ['b', 'iuse', ['c']],
      ['c', 'ineed', ['a']],
      ['d', 'ineed', ['a']],
    ]);
    expect(loopThrough(tree, 'a', ['ineed', 'iuse'])).toBe('a n> b u> c n> a');
    expect(loopThrough(tree, 'd', ['ineed', 'iuse'])).toBeUndefined();
    expect(loopThrough(tree, 'a', ['ineed'])).toBeUndefined();
  });
});
