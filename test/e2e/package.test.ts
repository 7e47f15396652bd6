// `npm pack` gives a package that installs globally and runs, as a user would install it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, sandbox } from '../support/cli.ts';

test('npm pack → npm install -g → mycli runs', () => {
  const box = sandbox();
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // --ignore-scripts: `npm test` has built dist/ already, and prepack's rebuild would pull the
    // bundle from under the other test files running at the same time.
    const packed = execFileSync(npm, ['pack', '--silent', '--ignore-scripts', '--pack-destination', box.dir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    const prefix = join(box.dir, 'global');
    execFileSync(npm, ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(box.dir, packed)], { cwd: box.dir, stdio: 'pipe' });
    const mycli = join(prefix, 'bin', 'mycli');
    const version = spawnSync(mycli, ['--version'], { env: box.env, encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const whoami = spawnSync(mycli, ['whoami', '--json'], { env: box.env, encoding: 'utf8' });
    assert.equal(whoami.status, 4);
    assert.deepEqual(JSON.parse(whoami.stdout), { loggedIn: false, profile: 'default' });
    // The second bundle (dist/lazy.cjs) from the installed package: conf writes, openid-client and
    // the HTTP client reach the network (nothing listens on port 1).
    const set = spawnSync(mycli, ['config', 'set', 'issuer', 'http://127.0.0.1:1'], { env: box.env, encoding: 'utf8' });
    assert.equal(set.status, 0, set.stderr);
    const get = spawnSync(mycli, ['config', 'get', 'issuer'], { env: box.env, encoding: 'utf8' });
    assert.equal(get.stdout, 'http://127.0.0.1:1/\n');
    const login = spawnSync(mycli, ['login', '--client-id', 'x', '--no-browser'], { env: box.env, encoding: 'utf8' });
    assert.equal(login.status, 1);
    assert.match(login.stderr, /Discovery at http:\/\/127\.0\.0\.1:1\/\.well-known\/openid-configuration failed: cannot reach the provider: connection refused/);
  } finally {
    box.cleanup();
  }
});
