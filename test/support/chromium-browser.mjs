#!/usr/bin/env node
// BROWSER for the real-browser tests: opens the URL mycli hands it (the last argument) in a new tab of
// the Chromium the test started, through its DevTools endpoint ($MYCLI_TEST_CHROMIUM), as running
// `chromium URL` opens a tab in a browser that is already running.
const url = process.argv[process.argv.length - 1];
const endpoint = process.env.MYCLI_TEST_CHROMIUM;
if (!endpoint || !url) {
  console.error('chromium-browser: needs MYCLI_TEST_CHROMIUM and a URL');
  process.exit(2);
}
const response = await fetch(`${endpoint}/json/new?${encodeURIComponent(url)}`, { method: 'PUT' });
if (!response.ok) {
  console.error(`chromium-browser: Chromium answered HTTP ${response.status}`);
  process.exit(1);
}
