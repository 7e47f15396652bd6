#!/usr/bin/env node
import { run } from '../dist/cli.js';

// Ctrl-C aborts the running command (the login listener closes, no session is written) and exits 130;
// a second Ctrl-C exits at once.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
});
process.exitCode = await run(process.argv.slice(2), controller.signal);
