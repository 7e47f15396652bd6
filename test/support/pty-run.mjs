#!/usr/bin/env node
// Runs a command in a tmux pane for the terminal tests: `pty-run.mjs STATUS_FILE COMMAND ARGS…`. The
// command gets the pane's terminal; its exit code (or signal) goes to STATUS_FILE; then this process stays,
// so the pane and what the command left on the screen stay until the test kills the tmux server.
import { spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';

const [statusFile, command, ...args] = process.argv.slice(2);
// Ctrl-C in the pane reaches the whole foreground group: it is for the command under test, not for us.
process.on('SIGINT', () => {});
const child = spawn(command, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => {
  // Written whole, then renamed into place: the test polls for the file and must never read it half-written.
  writeFileSync(`${statusFile}.tmp`, String(code ?? signal));
  renameSync(`${statusFile}.tmp`, statusFile);
  setInterval(() => {}, 1 << 30);
});
