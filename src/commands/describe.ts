import type { Session, SessionUser } from '../session/format.js';
import { sanitizeForTerminal } from '../ui/text.js';

/** `whoami --json` and `login --json`, exactly as SPEC.md gives it. */
export interface IdentityJson {
  loggedIn: true;
  profile: string;
  source: 'session' | 'env' | 'client-credentials';
  issuer: string;
  /** null only for MYCLI_TOKEN without a configured client id: the token alone does not say. */
  clientId: string | null;
  user: { sub: string; email?: string; name?: string };
  expiresAt: string | null;
}

/** The claims whoami shows: sub, and email and name when they are strings. */
export function userOf(claims: SessionUser): IdentityJson['user'] {
  const user: IdentityJson['user'] = { sub: claims.sub };
  if (typeof claims.email === 'string') user.email = claims.email;
  if (typeof claims.name === 'string') user.name = claims.name;
  return user;
}

export function identityOf(session: Session, profile: string): IdentityJson {
  return {
    loggedIn: true,
    profile,
    source: session.source,
    issuer: session.issuer,
    clientId: session.clientId,
    user: userOf(session.user),
    expiresAt: session.tokens.expiresAt ?? null,
  };
}

/** The first line of login's success and of whoami: who, and through what. */
export function headline(identity: IdentityJson): string {
  switch (identity.source) {
    case 'client-credentials':
      return `Logged in as client ${identity.user.sub} (client credentials)`;
    case 'env':
      return `Logged in as ${displayName(identity.user)} (from MYCLI_TOKEN)`;
    default:
      return `Logged in as ${displayName(identity.user)}`;
  }
}

/** whoami for people: the headline, then aligned rows; every value made safe for the terminal. */
export function identityLines(identity: IdentityJson, token: string): string[] {
  const { user } = identity;
  const rows: Array<[string, string | undefined]> = [
    ['Name', user.name],
    ['Email', user.email],
    ['Subject', user.sub],
    ['Issuer', identity.issuer],
    ['Client', identity.clientId ?? undefined],
    ['Profile', identity.profile],
    ['Token', token],
  ];
  const lines = [sanitizeForTerminal(headline(identity))];
  for (const [label, value] of rows) {
    if (value !== undefined) lines.push(`  ${`${label}:`.padEnd(9)}${sanitizeForTerminal(value)}`);
  }
  return lines;
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
