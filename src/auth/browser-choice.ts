import type { Context } from '../context.js';

/** Whether to hand a URL to a browser, and if not, why (the user is told). */
export type BrowserPlan = { open: true } | { open: false; reason: 'no-browser' | 'ci' | 'headless' };

/**
 * BROWSER always wins (as gh and xdg-open do), display or not. Without it, a machine with no display
 * (Linux without DISPLAY/WAYLAND_DISPLAY, or an SSH session) gets the URL printed instead of an
 * opener that would fail or open a browser the user cannot see.
 */
export function planBrowser(ctx: Pick<Context, 'env' | 'platform'>, noBrowser: boolean): BrowserPlan {
  const { env, platform } = ctx;
  if (noBrowser) return { open: false, reason: 'no-browser' };
  if (env.CI) return { open: false, reason: 'ci' };
  if (env.BROWSER?.trim()) return { open: true };
  if (env.SSH_CONNECTION || env.SSH_TTY) return { open: false, reason: 'headless' };
  if (platform !== 'darwin' && platform !== 'win32' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { open: false, reason: 'headless' };
  }
  return { open: true };
}
