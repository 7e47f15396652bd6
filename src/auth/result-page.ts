import { createHash } from 'node:crypto';
import { escapeHtml } from '../ui/text.js';

export type ResultPage =
  | { ok: true; name?: string | undefined; email?: string | undefined }
  | {
    ok: false;
    /** The OAuth error code (access_denied…), shown as the provider sent it. */
    error: string;
    description?: string | undefined;
    /** What the person should do now; `backticks` mark a command. */
    nextStep: string;
  };

export const PRODUCT_NAME = 'mycli';

// Colours meet WCAG AA contrast on both schemes (checked by axe-core in test/e2e/browser.test.ts).
const STYLE = `
:root{color-scheme:light dark;--bg:#eef1f5;--card:#fff;--fg:#1b1f24;--muted:#4a5360;--line:#d5dae1;--code:#eef1f5;--ok:#146c2e;--bad:#a40e26}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--card:#1a1d23;--fg:#e8eaed;--muted:#b4bac3;--line:#343a44;--code:#272b33;--ok:#6fdc8c;--bad:#ff8c9a}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{background:var(--card);width:min(34rem,calc(100% - 2rem));margin:1rem;padding:1.75rem 2rem;border:1px solid var(--line);border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.12)}
.product{display:flex;align-items:center;gap:.5rem;margin:0 0 1rem;font-weight:600;letter-spacing:.02em;color:var(--muted)}
.product svg{width:1.5rem;height:1.5rem;flex:none}
.ok .product svg{color:var(--ok)}.bad .product svg{color:var(--bad)}
h1{font-size:1.4rem;line-height:1.25;margin:0 0 .75rem}.ok h1{color:var(--ok)}.bad h1{color:var(--bad)}
h2{font-size:1rem;margin:1.25rem 0 .25rem}
p{margin:.5rem 0}.lead{font-size:1.1rem}.muted{color:var(--muted)}
.lead,code{overflow-wrap:anywhere}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em;background:var(--code);padding:.05em .3em;border-radius:4px}`;

/** The success page's one script. Browsers let a script close only tabs a script opened; it tries anyway. */
export const CLOSE_SCRIPT = 'setTimeout(function(){window.close()},2000)';

/** A CSP source for exactly this inline text: the browser runs/applies it only if its hash matches. */
function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The Content-Security-Policy the listener sends with every answer. The page's inline script and style are
 * allowed by hash, not 'unsafe-inline': markup a hostile provider slipped past escaping still could not run.
 * Hashed from the same constants the page embeds, so the two cannot drift apart.
 */
export const RESULT_PAGE_CSP = [
  "default-src 'none'",
  `style-src ${cspHash(STYLE)}`,
  `script-src ${cspHash(CLOSE_SCRIPT)}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ICON_OK = '<path d="M7 12.5l3.2 3.2L17 9"/>';
const ICON_BAD = '<path d="M8.5 8.5l7 7M15.5 8.5l-7 7"/>';

function icon(paths: string): string {
  return `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"><circle cx="12" cy="12" r="10"/>${paths}</svg>`;
}

/** Escapes text, then shows `backticked` parts as code. */
function withCode(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function successBody(name: string | undefined, email: string | undefined): { title: string; body: string } {
  const who = name && email ? `${name} (${email})` : name ?? email;
  return {
    title: 'Logged in',
    body: `<h1>Logged in</h1>
<p class="lead">${who ? `You are logged in as ${escapeHtml(who)}.` : 'You are logged in.'}</p>
<p>You can close this tab and return to your terminal.</p>`,
  };
}

function errorBody(error: string, description: string | undefined, nextStep: string): { title: string; body: string } {
  return {
    title: 'Login failed',
    body: `<h1>Login failed</h1>
<p class="lead">${description ? escapeHtml(description) : 'The login did not complete.'}</p>
<p class="muted">Error: <code>${escapeHtml(error)}</code></p>
<h2>What to do next</h2>
<p>${withCode(nextStep)}</p>`,
  };
}

/**
 * The page the browser shows after the callback. Self-contained: inline CSS and SVG, a data: favicon
 * (so the browser asks for nothing else), no external request. The success page tries to close its
 * tab; browsers allow that only for tabs a script opened, so the text says to close it.
 */
export function renderResultPage(result: ResultPage): string {
  const { title, body } = result.ok
    ? successBody(result.name, result.email)
    : errorBody(result.error, result.description, result.nextStep);
  const closeScript = result.ok ? `\n<script>${CLOSE_SCRIPT}</script>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="color-scheme" content="light dark"><link rel="icon" href="data:,">
<title>${PRODUCT_NAME}: ${title}</title><style>${STYLE}</style></head>
<body><main class="${result.ok ? 'ok' : 'bad'}">
<p class="product">${icon(result.ok ? ICON_OK : ICON_BAD)}${PRODUCT_NAME}</p>
${body}
</main>${closeScript}</body></html>`;
}
