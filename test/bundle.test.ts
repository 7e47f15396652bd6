// Start-up stays cheap by construction: `mycli whoami`, `token` and `--help` load dist/cli.cjs and
// nothing else of ours before they run (every ES module costs Node about a millisecond), and that file
// holds none of the heavy dependencies: they come from dist/lazy.cjs when a command needs them. Both
// come with a V8 code cache that V8 must accept, or every run compiles them again. And a login makes
// its requests without Node's built-in fetch (src/net/http-fetch.ts). Read from esbuild's metafiles of
// the real build (npm test builds first) and from real runs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/cli.ts';

interface Output {
  imports: Array<{ path: string; kind: string; external?: boolean }>;
  inputs: Record<string, unknown>;
}
const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8')) as Record<'startup' | 'lazy', { outputs: Record<string, Output> }>;
const startup = meta.startup.outputs['dist/cli.cjs']!;

test('dist/cli.cjs requires nothing at start-up but Node built-ins', () => {
  const staticImports = startup.imports.filter((imported) => imported.kind !== 'dynamic-import').map((imported) => imported.path);
  assert.deepEqual(staticImports.filter((path) => !path.startsWith('node:')), []);
});

test('dist/cli.cjs holds the hot commands and none of the heavy dependencies', () => {
  const inputs = Object.keys(startup.inputs);
  assert.ok(inputs.some((input) => input.includes('node_modules/commander/')), 'sanity: commander is in it');
  assert.ok(inputs.includes('src/commands/whoami.ts') && inputs.includes('src/commands/token.ts'));
  const heavy = inputs.filter((input) => /node_modules\/(openid-client|oauth4webapi|jose|conf|ajv|atomically|proper-lockfile|undici|open|yocto-spinner)\//.test(input));
  assert.deepEqual(heavy, []);
  assert.deepEqual(inputs.filter((input) => /^src\/(auth\/|commands\/(login|logout|config|whoami-env)\.ts)/.test(input)), []);
});

test('every module of ours dist/cli.cjs loads lazily comes from dist/lazy.cjs', () => {
  const lazy = meta.lazy.outputs['dist/lazy.cjs']!;
  const dynamic = startup.imports.filter((imported) => imported.kind === 'dynamic-import').map((imported) => imported.path);
  assert.ok(dynamic.includes('./lazy.cjs'));
  assert.deepEqual(dynamic.filter((path) => path.startsWith('.') && path !== './lazy.cjs'), []);
  assert.ok(Object.keys(lazy.inputs).includes('src/lazy.ts'));
});

test('V8 accepts the code cache made at build time for each bundle', () => {
  // The same load as bin/mycli.js's: the wrapper, the file name and no flags of its own.
  const check = `
    const { readFileSync } = require('node:fs');
    const vm = require('node:vm');
    for (const name of ['cli', 'lazy']) {
      const filename = ${JSON.stringify(join(ROOT, 'dist'))} + '/' + name + '.cjs';
      const source = readFileSync(filename, 'utf8');
      const wrapper = '(function (exports, require, module, __filename, __dirname, __mycliImport) {' + source + '\\n})';
      const script = new vm.Script(wrapper, { filename, cachedData: readFileSync(filename.replace(/cjs$/, 'cache')) });
      console.log(name, script.cachedDataRejected ? 'rejected' : 'accepted');
    }`;
  const out = execFileSync(process.execPath, ['-e', check], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(out, 'cli accepted\nlazy accepted\n');
});
