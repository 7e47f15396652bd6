import { createInterface } from 'node:readline';
import type { Context } from '../context.js';
import type { Spinner, Terminal } from '../ui/terminal.js';
import type { CallbackServer } from './callback-server.js';

export interface PasteListener {
  stop(): void;
}

/**
 * The paste fallback: when the browser runs on another machine, its redirect to 127.0.0.1 fails to
 * load but its address bar holds the callback URL. Each line typed or pasted into the terminal is
 * offered to the callback server, which checks it exactly like a request to the listener. Lines are
 * read in the terminal's own line mode (no raw mode), so the echo and editing are the terminal's.
 * Neither the pasted URL nor anything of it is printed: only why it was refused.
 */
export function acceptPastedCallbacks(ctx: Context, ui: Terminal, server: CallbackServer, spinner: Spinner): PasteListener {
  const input = ctx.io.stdin;
  const lines = createInterface({ input, terminal: false, crlfDelay: Infinity });
  lines.on('line', (line) => {
    const text = line.trim();
    if (text === '') return;
    const refused = server.offer(text);
    spinner.interrupt(() => {
      if (refused) {
        ui.warn(`That is not this login's callback URL (${refused}). Paste the whole address from the browser's address bar and press Enter.`);
      } else {
        ui.info('Got the callback URL you pasted.');
      }
    });
  });
  // An error on the terminal (it went away) only ends the fallback; the listener keeps waiting.
  lines.on('error', () => lines.close());
  return {
    stop() {
      lines.close();
      // readline resumed stdin; pausing it again lets the process exit once the login is done.
      input.pause();
    },
  };
}
