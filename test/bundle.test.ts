// Start-up stays cheap by construction: `mycli whoami`, `token` and `--help` load dist/cli.cjs and
// nothing else of ours before they run (every ES module costs Node about a millisecond), and that file
// holds none of the heavy dependencies: they come from dist/lazy.js when a command needs them.
// Read from esbuild's metafiles of the real build (npm test builds first).
import assert from 'node:assert/strict';
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

test('every module dist/cli.cjs loads lazily is in dist/lazy.js', () => {
  const lazy = meta.lazy.outputs['dist/lazy.js']!;
  const lazyImports = startup.imports.filter((imported) => imported.kind === 'dynamic-import' && imported.path === './lazy.js');
  assert.ok(lazyImports.length > 0);
  assert.ok(Object.keys(lazy.inputs).includes('src/lazy.ts'));
});
