// The decision made under the lock, in-process: when the file already holds a usable token, no request
// is made at all (ctx.fetch fails the test if it is called).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, test } from 'node:test';
import { getValidSession } from '../src/auth/refresh.ts';
import type { Context } from '../src/context.ts';
import { SESSION_VERSION, type Session } from '../src/session/format.ts';
import { saveSession, sessionPath } from '../src/session/store.ts';

const NOW = Date.parse('2030-01-01T12:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'mycli-refresh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function context(): Context {
  return {
    io: { stdout: new PassThrough(), stderr: new PassThrough(), stderrStream: new PassThrough(), stdin: new PassThrough(), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false },
    env: {},
    platform: process.platform,
    homeDir: dir,
    now: () => NOW,
    fetch: () => Promise.reject(new Error('no request expected')),
    openBrowser: () => Promise.reject(new Error('no browser expected')),
    signal: new AbortController().signal,
  };
}

function session(accessToken: string, expiresInMs: number): Session {
  return {
    version: SESSION_VERSION,
    source: 'session',
    issuer: 'https://id.example.com/',
    clientId: 'mycli',
    endpoints: { issuer: 'https://id.example.com/', token_endpoint: 'https://id.example.com/token' },
    user: { sub: 'alice' },
    tokens: { accessToken, tokenType: 'bearer', refreshToken: `refresh-${accessToken}`, expiresAt: new Date(NOW + expiresInMs).toISOString() },
    savedAt: new Date(NOW).toISOString(),
  };
}

const MARGIN = 60_000;

test('another process renewed the session while we waited: its token is used, even inside the margin', async () => {
  const where = { configDir: join(dir, 'a'), profile: 'default' };
  // What this process read before it took the lock: expired.
  const seen = session('old', -1000);
  // What the file holds once we have the lock: renewed by someone else, valid for 30 s (a provider whose
  // tokens live less than the margin).
  await saveSession(where.configDir, where.profile, session('new', 30_000));
  const result = await getValidSession(context(), where, seen, { marginMs: MARGIN });
  assert.equal(result.tokens.accessToken, 'new');
});

test('the file still holds a token valid beyond the margin: no request, the file is not rewritten', async () => {
  const where = { configDir: join(dir, 'b'), profile: 'default' };
  const fresh = session('fresh', 3_600_000);
  await saveSession(where.configDir, where.profile, fresh);
  const before = readFileSync(sessionPath(where.configDir, where.profile), 'utf8');
  const result = await getValidSession(context(), where, fresh, { marginMs: MARGIN });
  assert.equal(result.tokens.accessToken, 'fresh');
  assert.equal(readFileSync(sessionPath(where.configDir, where.profile), 'utf8'), before);
});

test('the token in the file is the one we saw and it is expiring: a refresh is attempted', async () => {
  const where = { configDir: join(dir, 'c'), profile: 'default' };
  const expiring = session('expiring', 30_000);
  await saveSession(where.configDir, where.profile, expiring);
  await assert.rejects(getValidSession(context(), where, expiring, { marginMs: MARGIN }), /Refreshing the access token at https?:\/\/\S+ failed/);
});
