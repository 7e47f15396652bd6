// Start-up stays cheap by construction: what `mycli whoami`, `token` and `--help` load before running is
// the entry chunk and its static imports, and none of those may contain the protocol library, conf,
// the lock or the browser opener (they load on demand). Read from esbuild's metafile of the real build.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/cli.ts';

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; kind: string }>; inputs: Record<string, unknown> }>;
}

test('the entry chunk and its static imports hold none of the heavy dependencies', () => {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'meta.json'), 'utf8')) as Metafile;
  const seen = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const imported of meta.outputs[output]?.imports ?? []) {
      if (imported.kind === 'import-statement' && meta.outputs[imported.path]) visit(imported.path);
    }
  };
  visit('dist/cli.js');
  const inputs = [...seen].flatMap((output) => Object.keys(meta.outputs[output]!.inputs));
  assert.ok(inputs.some((input) => input.includes('node_modules/commander/')), 'sanity: commander is in the entry');
  assert.ok(inputs.includes('src/commands/whoami.ts') && inputs.includes('src/commands/token.ts'));
  const heavy = inputs.filter((input) => /node_modules\/(openid-client|oauth4webapi|jose|conf|ajv|proper-lockfile|undici|open|yocto-spinner)\//.test(input));
  assert.deepEqual(heavy, []);
  assert.ok(!inputs.some((input) => /^src\/(auth|commands\/(login|logout|config))/.test(input)), 'login code stays out of the hot path');
});
