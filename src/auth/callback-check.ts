import { timingSafeEqual } from 'node:crypto';

/** What a callback carried once it matched this login's state. */
export type CallbackOutcome =
  | { type: 'code'; url: URL }
  | { type: 'error'; url: URL; error: string; description: string | undefined };

export type CallbackCheck = { ok: true; outcome: CallbackOutcome } | { ok: false; status: number; reason: string };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The rules for a callback URL, shared by the loopback listener and the pasted-URL fallback: one
 * state equal to this login's, at most one of each other parameter, the issuer (RFC 9207) when given,
 * and either a code or an error.
 */
export function checkCallbackUrl(url: URL, expectedState: string, expectedIssuer: string | undefined): CallbackCheck {
  const params = url.searchParams;
  for (const name of ['state', 'code', 'error', 'error_description', 'iss']) {
    if (params.getAll(name).length > 1) return { ok: false, status: 400, reason: `duplicate ${name} parameter` };
  }
  const state = params.get('state');
  if (!state) return { ok: false, status: 400, reason: 'missing state' };
  if (!sameSecret(state, expectedState)) return { ok: false, status: 400, reason: 'state does not match this login' };
  const iss = params.get('iss');
  if (iss !== null && expectedIssuer !== undefined && iss !== expectedIssuer) {
    return { ok: false, status: 400, reason: 'issuer does not match' };
  }
  const error = params.get('error');
  if (error !== null) {
    return { ok: true, outcome: { type: 'error', url, error, description: params.get('error_description') ?? undefined } };
  }
  if (!params.get('code')) return { ok: false, status: 400, reason: 'missing code' };
  return { ok: true, outcome: { type: 'code', url } };
}
