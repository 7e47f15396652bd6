// The README's first command stays true: the demo runs login → whoami → logout against its own provider.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { ROOT, sandbox } from '../support/cli.ts';

test('npm run demo completes every step (signing in through the demo’s stand-in browser)', async () => {
  const box = sandbox();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
    cwd: ROOT,
    env: { ...box.env, MYCLI_DEMO_AUTOLOGIN: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  box.cleanup();
  assert.equal(code, 0, output);
  assert.match(output, /Logged in as Demo <demo@example\.com>/);
  assert.match(output, /"loggedIn":true/);
  assert.match(output, /Logged out of/);
  assert.match(output, /Demo complete/);
});
