import { UsageError } from './errors.js';

/** Auth0 matches callback URLs exactly, port included, so the default port is fixed and documented. */
export const DEFAULT_CALLBACK_PORT = 17863;
export const DEFAULT_SCOPE = 'openid profile email offline_access';
export const DEFAULT_TIMEOUT_SECONDS = 300;
export const DEFAULT_PROFILE = 'default';

/** Keys `mycli config` stores, with the flag and variable that override each. */
export const SETTINGS = {
  issuer: { flag: '--issuer', env: 'MYCLI_ISSUER' },
  'client-id': { flag: '--client-id', env: 'MYCLI_CLIENT_ID' },
  audience: { flag: '--audience', env: 'MYCLI_AUDIENCE' },
  scope: { flag: '--scope', env: 'MYCLI_SCOPE' },
  port: { flag: '--port', env: 'MYCLI_CALLBACK_PORT' },
  'return-to': { flag: '--return-to', env: 'MYCLI_RETURN_TO' },
} as const;
export type SettingKey = keyof typeof SETTINGS;
export type StoredSettings = Partial<Record<SettingKey, string>>;

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

const PROFILE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
// C0 and C1 control characters: never part of a valid setting, and dangerous in a terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function validateProfile(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(
      `Invalid profile name ${JSON.stringify(name)}: use 1-64 letters, digits, '_' or '-'.`,
    );
  }
  return name;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** http:// is for local development providers only; everything else must be https://. */
export function validateIssuer(value: string, origin = 'issuer'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`Invalid ${origin} ${JSON.stringify(value)}: not a URL.`, 'Example: --issuer https://example.eu.auth0.com/');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new UsageError(
      `Invalid ${origin} ${JSON.stringify(value)}: must be https:// (http:// is allowed only for 127.0.0.1 and localhost).`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new UsageError(`Invalid ${origin} ${JSON.stringify(value)}: no query, fragment or credentials allowed.`);
  }
  return url.href;
}

/** An Auth0 domain is a host name; it stands for the issuer https://HOST/. */
export function issuerFromDomain(domain: string): string {
  const host = domain.trim();
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) {
    throw new UsageError(
      `Invalid domain ${JSON.stringify(domain)}: give the host name only, e.g. example.eu.auth0.com.`,
    );
  }
  return validateIssuer(`https://${host}/`, 'domain');
}

function validatePort(value: string): string {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`Invalid port ${JSON.stringify(value)}: use a number from 0 to 65535 (0 = any free port).`);
  }
  return String(Number(value));
}

function validateHttpUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`Invalid ${what} ${JSON.stringify(value)}: not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`Invalid ${what} ${JSON.stringify(value)}: must be an http:// or https:// URL.`);
  }
  return url.href;
}

function validateText(value: string, what: string): string {
  if (value.trim() === '' || CONTROL.test(value)) {
    throw new UsageError(`Invalid ${what}: must be non-empty text without control characters.`);
  }
  return value;
}

/** Checks and normalises one setting, wherever it came from (flag, variable or config file). */
export function validateSetting(key: SettingKey, value: string): string {
  switch (key) {
    case 'issuer':
      return validateIssuer(value);
    case 'port':
      return validatePort(value);
    case 'return-to':
      return validateHttpUrl(value, 'return-to URL');
    case 'client-id':
      if (/\s/.test(value)) throw new UsageError('Invalid client id: must not contain spaces.');
      return validateText(value, 'client id');
    case 'audience':
    case 'scope':
      return validateText(value, key);
  }
}

export function validateTimeout(value: string): number {
  if (!/^\d{1,7}$/.test(value) || Number(value) < 1) {
    throw new UsageError(`Invalid timeout ${JSON.stringify(value)}: use a whole number of seconds, at least 1.`);
  }
  return Number(value);
}

/** The flags every command that talks to a provider accepts. */
export interface SettingFlags {
  issuer?: string;
  domain?: string;
  clientId?: string;
  audience?: string;
  scope?: string;
  port?: string;
  returnTo?: string;
}

export interface Settings {
  profile: string;
  issuer: string | undefined;
  clientId: string | undefined;
  audience: string | undefined;
  scope: string;
  port: number;
  returnTo: string | undefined;
}

function issuerAt(issuer: string | undefined, domain: string | undefined, where: string): string | undefined {
  if (issuer && domain) throw new UsageError(`Give either an issuer or a domain ${where}, not both.`);
  if (domain) return issuerFromDomain(domain);
  return issuer ? validateIssuer(issuer) : undefined;
}

/** Precedence: flag > environment > config file > default. Pure: tests call it with plain objects. */
export function resolveSettings(
  profile: string,
  flags: SettingFlags,
  env: Readonly<Record<string, string | undefined>>,
  stored: StoredSettings,
): Settings {
  const pick = (key: SettingKey, flag: string | undefined): string | undefined => {
    const value = flag ?? (env[SETTINGS[key].env] || undefined) ?? stored[key];
    return value === undefined ? undefined : validateSetting(key, value);
  };
  const issuer =
    issuerAt(flags.issuer, flags.domain, 'on the command line') ??
    issuerAt(env.MYCLI_ISSUER || undefined, env.MYCLI_DOMAIN || undefined, 'in the environment') ??
    (stored.issuer ? validateIssuer(stored.issuer) : undefined);
  return {
    profile,
    issuer,
    clientId: pick('client-id', flags.clientId),
    audience: pick('audience', flags.audience),
    scope: pick('scope', flags.scope) ?? DEFAULT_SCOPE,
    port: Number(pick('port', flags.port) ?? DEFAULT_CALLBACK_PORT),
    returnTo: pick('return-to', flags.returnTo),
  };
}

/** login and friends need an issuer and a client id; say which is missing and how to set it. */
export function requireProvider(settings: Settings): { issuer: string; clientId: string } {
  if (!settings.issuer) {
    throw new UsageError(
      'No issuer configured.',
      'Pass --issuer URL or --domain HOST, set MYCLI_ISSUER, or run `mycli config set issuer URL`.',
    );
  }
  if (!settings.clientId) {
    throw new UsageError(
      'No client id configured.',
      'Pass --client-id ID, set MYCLI_CLIENT_ID, or run `mycli config set client-id ID`.',
    );
  }
  return { issuer: settings.issuer, clientId: settings.clientId };
}
