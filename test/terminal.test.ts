import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { Context } from '../src/context.ts';
import { renderResultPage } from '../src/auth/result-page.ts';
import { createTerminal, formatElapsed } from '../src/ui/terminal.ts';

function terminalFor(env: Record<string, string>, stderrIsTTY: boolean, json = false) {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk) => (text += chunk));
  const io = { stdout: new PassThrough(), stderr, stderrStream: stderr, stdin: new PassThrough(), stdoutIsTTY: false, stderrIsTTY, stdinIsTTY: false };
  const ui = createTerminal({ io, env } as unknown as Context, { json });
  return { ui, output: () => text };
}

test('elapsed time on the waiting line', () => {
  assert.deepEqual([0, 999, 7_400, 59_999, 60_000, 65_000, 725_000].map(formatElapsed), ['0s', '0s', '7s', '59s', '1m 00s', '1m 05s', '12m 05s']);
});

test('colour and spinner only on a TTY, without NO_COLOR, TERM=dumb or --json', async () => {
  assert.equal(terminalFor({}, true).ui.fancy, true);
  assert.equal(terminalFor({ NO_COLOR: '1' }, true).ui.fancy, false);
  assert.equal(terminalFor({ NO_COLOR: '' }, true).ui.fancy, true, 'an empty NO_COLOR counts as unset');
  assert.equal(terminalFor({ TERM: 'dumb' }, true).ui.fancy, false);
  assert.equal(terminalFor({}, true, true).ui.fancy, false);
  const plain = terminalFor({}, false);
  assert.equal(plain.ui.fancy, false);
  const spinner = await plain.ui.spinner('Waiting…');
  spinner.update('Waiting… (3s)');
  spinner.stop();
  plain.ui.success('Logged in as A');
  plain.ui.failure('It failed.', 'Do this next.');
  assert.equal(plain.output(), 'Waiting…\n✓ Logged in as A\n✗ It failed.\nDo this next.\n');
});

test('result pages: escaped, commands as code, nothing fetched from elsewhere', () => {
  const ok = renderResultPage({ ok: true, name: 'A <b>', email: 'a@example.com' });
  assert.match(ok, /You are logged in as A &#60;b&#62; \(a@example\.com\)\./);
  assert.match(ok, /window\.close\(\)/);
  assert.match(renderResultPage({ ok: true, email: 'a@example.com' }), /You are logged in as a@example\.com\./);
  assert.match(renderResultPage({ ok: true }), /You are logged in\./);
  const bad = renderResultPage({ ok: false, error: 'x"<', description: '<script>', nextStep: 'Run `mycli <login>` again.' });
  assert.match(bad, /&#60;script&#62;/);
  assert.match(bad, /<code>x&#34;&#60;<\/code>/);
  assert.match(bad, /Run <code>mycli &#60;login&#62;<\/code> again\./);
  assert.doesNotMatch(bad, /window\.close/);
  for (const page of [ok, bad]) {
    // Every src/href is a data: URL: the page needs no other request.
    for (const [, url] of page.matchAll(/(?:src|href)="([^"]*)"/g)) assert.match(url!, /^data:/);
    assert.doesNotMatch(page, /@import|url\(/);
  }
});
