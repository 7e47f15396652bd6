#!/usr/bin/env node
import { run } from '../dist/cli.js';

// Ctrl-C aborts the running command (the login listener closes, no session is written) and exits 130;
// a second Ctrl-C exits at once.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
});
// `mycli whoami | head -1`: a reader that went away is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
process.exitCode = await run(process.argv.slice(2), controller.signal);
