// Saves sessions through mycli's real writer (src/session/store.ts), one after another, until it is
// killed. test/e2e/files.test.ts kills it with SIGKILL at random moments and reads what is left.
import { saveSession } from '../../src/session/store.ts';
import { SESSION_VERSION, type Session } from '../../src/session/format.ts';

const [configDir, profile = 'default'] = process.argv.slice(2);
if (!configDir) throw new Error('usage: save-loop.ts CONFIG_DIR [PROFILE]');

// Large enough that one write takes a while, so that a kill often lands in the middle of one.
const padding = 'p'.repeat(512 * 1024);

function session(n: number): Session {
  return {
    version: SESSION_VERSION,
    source: 'session',
    issuer: 'https://id.example.com/',
    clientId: 'save-loop',
    endpoints: { issuer: 'https://id.example.com/', token_endpoint: 'https://id.example.com/token' },
    user: { sub: `user-${n}`, name: `Save ${n}`, padding },
    tokens: { accessToken: `access-${n}`, tokenType: 'Bearer', expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
    savedAt: new Date().toISOString(),
  };
}

for (let n = 0; ; n += 1) {
  await saveSession(configDir, profile, session(n));
  if (n === 0) process.stdout.write('saving\n');
}
