import { UsageError } from '../errors.js';

/** openid-client's own default; long enough for a slow proxy, short enough that a hung provider is noticed. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;

/** Seconds each provider request may take: MYCLI_HTTP_TIMEOUT, else 30. */
export function requestTimeoutSeconds(env: Readonly<Record<string, string | undefined>>): number {
  const raw = env.MYCLI_HTTP_TIMEOUT;
  if (!raw) return DEFAULT_REQUEST_TIMEOUT_SECONDS;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) < 1) {
    throw new UsageError(`Invalid MYCLI_HTTP_TIMEOUT ${JSON.stringify(raw)}: use a whole number of seconds, at least 1.`);
  }
  return Number(raw);
}
