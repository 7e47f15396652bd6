import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, sanitizeForTerminal } from '../src/ui/text.ts';
import { checkCallbackUrl } from '../src/auth/callback-check.ts';

test('terminal text loses escape sequences and control characters', () => {
  assert.equal(sanitizeForTerminal('bad\u001b[2J\u001b]0;title\u0007 thing\r\nnext\u0000'), 'bad thing next');
  assert.equal(sanitizeForTerminal('x'.repeat(400)).length, 300);
});
test('HTML escaping', () => {
  assert.equal(escapeHtml(`<img src=x onerror="a('b')">&`), '&#60;img src=x onerror=&#34;a(&#39;b&#39;)&#34;&#62;&#38;');
});
test('callback URL rules', () => {
  const check = (query: string) => checkCallbackUrl(new URL(`http://127.0.0.1:1/callback?${query}`), 'S', 'https://id.example/');
  assert.equal(check('code=c&state=S').ok, true);
  assert.equal(check('code=c&state=S&iss=https%3A%2F%2Fid.example%2F').ok, true);
  assert.equal(check('error=access_denied&state=S').ok, true);
  for (const bad of ['code=c', 'code=c&state=T', 'code=c&state=SS', 'state=S', 'code=c&state=S&state=S', 'code=c&code=d&state=S', 'code=c&state=S&iss=https%3A%2F%2Fevil.example%2F']) {
    assert.equal(check(bad).ok, false, bad);
  }
});
