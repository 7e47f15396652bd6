import type { Session } from '../session/format.js';

/** `whoami --json` and `login --json`, exactly as SPEC.md gives it. */
export interface IdentityJson {
  loggedIn: true;
  profile: string;
  source: 'session' | 'env' | 'client-credentials';
  issuer: string;
  clientId: string;
  user: { sub: string; email?: string; name?: string };
  expiresAt: string | null;
}

export function identityOf(session: Session, profile: string): IdentityJson {
  const user: IdentityJson['user'] = { sub: session.user.sub };
  if (typeof session.user.email === 'string') user.email = session.user.email;
  if (typeof session.user.name === 'string') user.name = session.user.name;
  return {
    loggedIn: true,
    profile,
    source: session.source,
    issuer: session.issuer,
    clientId: session.clientId,
    user,
    expiresAt: session.tokens.expiresAt ?? null,
  };
}

/** "Jane Doe <jane@example.com>", or whatever part of it the provider gave. */
export function displayName(user: { sub: string; name?: unknown; email?: unknown }): string {
  const name = typeof user.name === 'string' && user.name ? user.name : undefined;
  const email = typeof user.email === 'string' && user.email ? user.email : undefined;
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? user.sub;
}

/** "in 59 minutes" / "3 minutes ago", for expiry lines. */
export function relativeTime(targetMs: number, nowMs: number): string {
  const seconds = Math.round((targetMs - nowMs) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 90 ? [abs, 'second'] : abs < 5400 ? [Math.round(abs / 60), 'minute'] : abs < 129600 ? [Math.round(abs / 3600), 'hour'] : [Math.round(abs / 86400), 'day'];
  const text = `${value} ${unit}${value === 1 ? '' : 's'}`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}
