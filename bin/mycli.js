#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json), like dist/cli.cjs: the hot commands never start Node's ES-module loader.
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

const dist = join(__dirname, '..', 'dist');

/** dist/cli.cjs's dynamic imports (rewritten at build time): ./lazy.js and friends from dist/, packages as usual. */
function importFromDist(specifier) {
  return import(specifier.startsWith('.') ? pathToFileURL(join(dist, specifier)).href : specifier);
}

/**
 * Loads dist/cli.cjs with V8's code cache made at build time (dist/cli.cache), so start-up does not
 * compile it again: about a tenth of `mycli whoami`'s time. The cache is as trusted as the code beside
 * it (both written at build or install time, never at run time), and V8 ignores one from another
 * Node version or build.
 */
function loadCli() {
  const filename = join(dist, 'cli.cjs');
  const cacheFile = join(dist, 'cli.cache');
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
  script.runInThisContext()(module.exports, createRequire(filename), module, filename, dist, importFromDist);
  // The build (scripts/build.mjs) runs one command with this set, to write the cache.
  if (process.env.MYCLI_WRITE_CODE_CACHE === '1') process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
  return module.exports;
}

// Ctrl-C aborts the running command (the login listener closes, no session is written) and exits 130;
// a second Ctrl-C exits at once.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
});
// `mycli whoami | head -1`: a reader that went away is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
const cli = loadCli();
// Node's fetch parses HTTP with a WebAssembly module that V8 compiles twice: quickly (Liftoff), then
// again with its optimising compiler once it has run a little. For the handful of requests a login
// makes, that second compile is wasted CPU (about 70 ms of each login here, on background threads).
// Set after loading dist/cli.cjs: V8 rejects a code cache made under other flags.
require('node:v8').setFlagsFromString('--liftoff-only');
cli
  .run(process.argv.slice(2), controller.signal)
  .then((code) => {
    process.exitCode = code;
  });
