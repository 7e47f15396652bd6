import { escapeHtml } from '../ui/text.js';

export type ResultPage =
  | { ok: true; name?: string | undefined; email?: string | undefined }
  | { ok: false; error: string; description?: string | undefined; nextStep: string };

const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1b1f24;--muted:#4a5360;--ok:#146c2e;--bad:#a40e26}
@media (prefers-color-scheme:dark){:root{--bg:#0f1115;--card:#1a1d23;--fg:#e8eaed;--muted:#b4bac3;--ok:#6fdc8c;--bad:#ff8c9a}}
*{box-sizing:border-box}body{margin:0;min-height:100vh;display:grid;place-items:center;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{background:var(--card);max-width:32rem;margin:1rem;padding:2rem 2.25rem;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.12)}
h1{font-size:1.35rem;margin:0 0 .75rem}.ok h1{color:var(--ok)}.bad h1{color:var(--bad)}
p{margin:.5rem 0}.muted{color:var(--muted)}.product{font-weight:600;letter-spacing:.02em;color:var(--muted);margin:0 0 .25rem}
code{font:inherit;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-word}`;

/** The page the browser shows after the callback: self-contained, no external requests. */
export function renderResultPage(result: ResultPage): string {
  let title: string;
  let body: string;
  if (result.ok) {
    const who = result.name ?? result.email ?? 'your account';
    const email = result.email && result.name ? ` (${escapeHtml(result.email)})` : '';
    title = 'Logged in';
    body = `<h1>You are logged in as ${escapeHtml(who)}${email}</h1>
<p>You can close this tab and return to your terminal.</p>`;
  } else {
    title = 'Login failed';
    const description = result.description ? `<p>${escapeHtml(result.description)}</p>` : '';
    body = `<h1>Login failed</h1>
<p>The provider answered: <code>${escapeHtml(result.error)}</code></p>${description}
<p class="muted">${escapeHtml(result.nextStep)}</p>`;
  }
  const closeScript = result.ok ? '<script>setTimeout(function(){window.close()},1500)</script>' : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>mycli: ${title}</title><style>${STYLE}</style></head>
<body><main class="${result.ok ? 'ok' : 'bad'}"><p class="product">mycli</p>
${body}
</main>${closeScript}</body></html>`;
}
