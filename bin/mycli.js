#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json), like dist/cli.cjs: the hot commands never start Node's ES-module loader.
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const loaded = new Map();

/**
 * Loads one of the two bundles (scripts/build.mjs), dist/cli.cjs or dist/lazy.cjs, with V8's code
 * cache made for it at build time (dist/NAME.cache), so Node does not parse and compile it again: a
 * tenth of `mycli whoami`'s time, a third of a login's CPU. The cache is as trusted as the code beside
 * it (both written at build or install time, never at run time), and V8 ignores one from another Node
 * version or build (then it simply compiles).
 */
function loadBundle(name) {
  const known = loaded.get(name);
  if (known) return known.module.exports;
  const filename = join(dist, `${name}.cjs`);
  const cacheFile = join(dist, `${name}.cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache: compile as usual
  }
  const source = readFileSync(filename, 'utf8');
  const wrapper = `(function (exports, require, module, __filename, __dirname, __mycliImport) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename, cachedData });
  const module = { exports: {} };
  loaded.set(name, { module, script, cacheFile });
  script.runInThisContext()(module.exports, createRequire(filename), module, filename, dist, importFromDist);
  return module.exports;
}

/** The bundles' dynamic imports (rewritten at build time): ./lazy.cjs is the second bundle, packages load as usual. */
function importFromDist(specifier) {
  if (specifier === './lazy.cjs') return Promise.resolve().then(() => loadBundle('lazy'));
  return import(specifier);
}

// The build (scripts/build.mjs) runs commands with this set, to write the caches of the bundles they load.
if (process.env.MYCLI_WRITE_CODE_CACHE === '1') {
  process.on('exit', () => {
    for (const { script, cacheFile } of loaded.values()) writeFileSync(cacheFile, script.createCachedData());
  });
}

// Ctrl-C aborts the running command (the login listener closes, no session is written) and exits 130;
// a second Ctrl-C exits at once.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
});
// mycli's output is written synchronously (src/process-context.ts), which takes a reader that went
// away (`mycli whoami | head -1`) in its stride. Node's own process.stdout and process.stderr streams
// are made only for the spinner, which draws on stderr only when it is a terminal.
loadBundle('cli')
  .run(process.argv.slice(2), controller.signal)
  .then((code) => {
    process.exitCode = code;
  });
