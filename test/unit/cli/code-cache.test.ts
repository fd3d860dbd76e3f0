import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// bin/code-cache.cjs loads the server bundle with a V8 code cache keyed by the build id the
// bundle ends with; a cache for another build must never reach V8 (its own check is the
// source's length only).
const require = createRequire(import.meta.url);
const { requireCached, saveCache } = require('../../../bin/code-cache.cjs') as {
  requireCached(file: string, cache: string): { exports: { f(): number }; fresh: boolean };
  saveCache(loaded: unknown, cache: string): boolean;
};

/** A bundle's text: `code` and the build id line scripts/bundle-server.mjs ends it with. */
const bundle = (code: string, id: string): string => `${code}\n//# durabench-build ${id.repeat(40 / id.length)}\n`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'durabench-code-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('requireCached', () => {
  it('loads without a cache, saves one, and uses it on the next load', () => {
    const file = path.join(dir, 'b.cjs');
    const cache = path.join(dir, 'b.cache');
    fs.writeFileSync(file, bundle('module.exports = { f: () => require("node:path").sep.length + 41 };', 'a1'));
    const first = requireCached(file, cache);
    expect(first.fresh).toBe(false);
    expect(first.exports.f()).toBe(42);
    expect(saveCache(first, cache)).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['b.cache', 'b.cjs']);
    const second = requireCached(file, cache);
    expect(second.fresh).toBe(true);
    expect(second.exports.f()).toBe(42);
  });

  it('ignores a cache made for another build of the same length', () => {
    const file = path.join(dir, 'b.cjs');
    const cache = path.join(dir, 'b.cache');
    fs.writeFileSync(file, bundle('module.exports = { f: () => 1 };', 'a1'));
    const old = requireCached(file, cache);
    expect(old.exports.f()).toBe(1); // compiled, so its bytecode is in the cache
    saveCache(old, cache);
    fs.writeFileSync(file, bundle('module.exports = { f: () => 2 };', 'b2'));
    const loaded = requireCached(file, cache);
    expect(loaded.fresh).toBe(false);
    expect(loaded.exports.f()).toBe(2);
  });

  it('compiles a file without a build id, and keeps no cache for it', () => {
    const file = path.join(dir, 'b.cjs');
    const cache = path.join(dir, 'b.cache');
    fs.writeFileSync(file, 'module.exports = { f: () => 3 };');
    const loaded = requireCached(file, cache);
    expect(loaded.exports.f()).toBe(3);
    expect(saveCache(loaded, cache)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(['b.cjs']);
  });

  it('reports a cache it cannot write, leaving no temporary file', () => {
    const file = path.join(dir, 'b.cjs');
    fs.writeFileSync(file, bundle('module.exports = {};', 'c3'));
    expect(saveCache(requireCached(file, path.join(dir, 'no', 'b.cache')), path.join(dir, 'no', 'b.cache'))).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(['b.cjs']);
  });
});

// bin/server-flags.cjs: V8 rejects a cache made under other V8 flags, so each flag set that
// starts often has its own file, and any other set neither reads nor writes one.
const { SERVER_V8_FLAGS, FEW_CORES_GC_FLAGS, cacheName } = require('../../../bin/server-flags.cjs') as {
  SERVER_V8_FLAGS: string[];
  FEW_CORES_GC_FLAGS: string[];
  cacheName(execArgv: string[]): string | null;
};

describe('cacheName', () => {
  it('keeps one cache for a start by hand and one for the harness launch flags', () => {
    expect(cacheName([])).toBe('server.bundle.cache');
    expect(cacheName(['--v8-pool-size=1'])).toBe('server.bundle.cache'); // a Node option, not a V8 flag
    expect(cacheName(SERVER_V8_FLAGS)).toBe('server.bundle.launch.cache');
    expect(cacheName(['--v8-pool-size=1', ...SERVER_V8_FLAGS])).toBe('server.bundle.launch.cache');
  });

  it('gives any other V8 flags no cache', () => {
    expect(cacheName(['--trace-gc'])).toBeNull();
    expect(cacheName([...SERVER_V8_FLAGS, '--trace-gc'])).toBeNull();
    expect(cacheName(SERVER_V8_FLAGS.slice(0, 1))).toBeNull();
  });
});

// The bin sets these at run time on ≤ 2 cores: V8 only prints a misspelt one and goes on, and
// some combinations abort the process at its first full collection (--no-parallel-marking did).
describe('FEW_CORES_GC_FLAGS', () => {
  it('are flags this V8 knows, and collections of every kind run under them', () => {
    const code = [
      `const v8 = require('node:v8'); v8.setFlagsFromString(${JSON.stringify(FEW_CORES_GC_FLAGS.join(' '))});`,
      "v8.setFlagsFromString('--expose-gc'); const gc = require('node:vm').runInNewContext('gc');",
      'let keep = []; for (let i = 0; i < 4; i++) { for (let j = 0; j < 200000; j++) keep.push({ j, s: String(j) }); keep = keep.slice(-50000); gc(); }',
      "process.stdout.write('ok ' + keep.length);",
    ].join('\n');
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('ok 50000');
    expect(r.status).toBe(0);
  });
});
