// The single executable's main script. Node lets a SEA main require only builtins, so the bundle's
// chunks are stored as assets and this loader is their `require`: it compiles a chunk only when it
// is first required (the invoked applet's chunks, never the others), with the V8 code cache the build
// made for it. Chunk sources are ASCII (esbuild's charset=ascii), so latin1 decoding is exact.

/** A chunk's CommonJS code wrapped as the function the loader calls. */
export function wrapModule(code) {
  return `(function (exports, require, module) {${code}\n})`;
}

export const LOADER_SOURCE = `'use strict';
const sea = require('node:sea');
const vm = require('node:vm');
const loaded = new Map();

function asset(key) {
  try { return Buffer.from(sea.getRawAsset(key)); } catch { return undefined; }
}

function resolve(from, spec) {
  const parts = from.split('/');
  parts.pop();
  for (const part of spec.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}

function load(id) {
  let module = loaded.get(id);
  if (module) return module.exports;
  module = { exports: {} };
  loaded.set(id, module);
  const source = asset('m:' + id);
  if (!source) throw new Error('toolbox: missing module ' + id);
  const script = new vm.Script(source.toString('latin1'), { filename: 'toolbox:' + id, cachedData: asset('c:' + id) });
  const fn = script.runInThisContext();
  fn.call(module.exports, module.exports, (spec) => (spec[0] === '.' ? load(resolve(id, spec)) : require(spec)), module);
  return module.exports;
}

load('main.js');
`;
