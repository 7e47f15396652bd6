// A real OpenID provider (oidc-provider) for tests and the demo, in-process on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import type { Adapter, AdapterPayload, ClientMetadata, KoaContextWithOIDC } from 'oidc-provider';

export interface TestProviderOptions {
  /** default true; false stands in for an Auth0 tenant (no end_session_endpoint in discovery) */
  rpInitiatedLogout?: boolean;
  /** access token lifetime in seconds, default 3600; setAccessTokenTtl() changes it for tokens issued later */
  accessTokenTtl?: number;
  /** default true */
  deviceFlow?: boolean;
  /** default true: enables the grant and registers the confidential client `mycli-ci` */
  clientCredentials?: boolean;
  /** `interval` advertised in device authorization responses (oidc-provider sends none, so clients would wait 5 s); default 1 */
  deviceInterval?: number;
  /** device code lifetime in seconds (`expires_in` of the device authorization response), default 600 */
  deviceCodeTtl?: number;
  /** answer the first N device-code polls that would be authorization_pending with slow_down instead; default 0 */
  deviceSlowDown?: number;
  /** default 0 (any free port) */
  port?: number;
  /** PEM key and certificate: serve over https:// (the issuer becomes https://127.0.0.1:PORT) */
  tls?: { key: string; cert: string };
}

export interface RequestCounts {
  authorization: number;
  /** every token endpoint request, whatever the grant and outcome */
  token: number;
  /** token endpoint requests with grant_type=refresh_token, whatever the outcome */
  refresh: number;
  revocation: number;
  userinfo: number;
}

/**
 * A way for the provider to misbehave at one path, for the tests of network failures: `hang` never
 * answers, `reset` drops the connection, `html` answers 502 with an HTML page (a proxy's or a captive
 * portal's), `not-json` answers 200 application/json with a broken body.
 */
export type Fault = 'hang' | 'reset' | 'html' | 'not-json';

export interface TestProvider {
  /** http://127.0.0.1:PORT (https:// with `tls`), no trailing slash: discovery works with exactly this string */
  issuer: string;
  /** public native client */
  clientId: string;
  /** confidential client for client_credentials (token_endpoint_auth_method client_secret_post) */
  ccClientId: string;
  ccClientSecret: string;
  provider: Provider;
  counts: RequestCounts;
  /** Lifetime in seconds of the user access tokens issued from now on (login short, refresh long, say). */
  setAccessTokenTtl(seconds: number): void;
  /** Date.now() of each token request with the device_code grant, in order */
  devicePolls: number[];
  /** The form parameters of every token endpoint request (code, code_verifier, refresh_token, client_secret…), for tests that look for leaks. */
  tokenRequests: Array<Record<string, unknown>>;
  /** The body of every successful token endpoint response (access_token, refresh_token, id_token…). */
  tokenResponses: Array<Record<string, unknown>>;
  /** Makes requests to `path` (e.g. '/token') fail as `fault` describes; `undefined` heals it. */
  fault(path: string, fault: Fault | undefined): void;
  /** Destroys every refresh token issued so far; access tokens already issued stay valid until they expire, as with Auth0. */
  revokeRefreshTokens(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_CLIENT_ID = 'mycli-test';
export const CC_CLIENT_ID = 'mycli-ci';
export const REDIRECT_URI = 'http://127.0.0.1/callback';
export const POST_LOGOUT_REDIRECT_URIS = ['http://127.0.0.1/logged-out', 'https://example.com/after-logout'];
const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

// oidc-provider prints development "attention" notices (dev interactions, dev keys, Node 20 runtime)
// through console.warn/info, some at import time and some on first use: drop only those lines.
let noticesSilenced = false;
function silenceProviderNotices(): void {
  if (noticesSilenced) return;
  noticesSilenced = true;
  for (const method of ['warn', 'info'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && /oidc-provider (WARNING|NOTICE):/.test(args[0])) return;
      original(...args);
    };
  }
}

/** Capitalised account id: 'alice' → 'Alice'. */
export function displayName(accountId: string): string {
  return accountId.charAt(0).toUpperCase() + accountId.slice(1);
}

export async function startTestProvider(opts: TestProviderOptions = {}): Promise<TestProvider> {
  const {
    rpInitiatedLogout = true,
    accessTokenTtl = 3600,
    deviceFlow = true,
    clientCredentials = true,
    deviceInterval = 1,
    deviceCodeTtl = 600,
    deviceSlowDown = 0,
    port = 0,
  } = opts;
  silenceProviderNotices();
  let userAccessTokenTtl = accessTokenTtl;
  const { default: ProviderClass } = await import('oidc-provider');

  // https.Server has the same request/close surface as http.Server.
  const server = opts.tls ? (createHttpsServer(opts.tls) as unknown as Server) : createServer();
  await listen(server, port);
  const issuer = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const store = new MemoryStore();
  const ccClientSecret = randomBytes(24).toString('base64url');
  const clients: ClientMetadata[] = [{
    client_id: TEST_CLIENT_ID,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: [REDIRECT_URI],
    ...(rpInitiatedLogout ? { post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS } : {}),
    grant_types: ['authorization_code', 'refresh_token', ...(deviceFlow ? [DEVICE_CODE_GRANT] : [])],
    response_types: ['code'],
  }];
  if (clientCredentials) {
    clients.push({
      client_id: CC_CLIENT_ID,
      client_secret: ccClientSecret,
      // openid-client's default for a client with a secret
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    });
  }

  const provider = new ProviderClass(issuer, {
    adapter: store.adapterClass(),
    clients,
    findAccount: (_ctx, accountId) => ({
      accountId,
      claims: () => ({
        sub: accountId,
        email: `${accountId}@example.com`,
        email_verified: true,
        name: displayName(accountId),
      }),
    }),
    claims: {
      openid: ['sub'],
      profile: ['name'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    // oidc-provider drops offline_access unless prompt=consent; an Auth0 tenant issues refresh
    // tokens to any client allowed the grant, and mycli never sends prompt=consent.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Refresh tokens outlive the browser session, as with Auth0 (the default ties them to it without offline_access).
    expiresWithSession: () => false,
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: rpInitiatedLogout },
      deviceFlow: { enabled: deviceFlow },
      clientCredentials: { enabled: clientCredentials },
    },
    ttl: {
      AccessToken: () => userAccessTokenTtl,
      ClientCredentials: accessTokenTtl,
      AuthorizationCode: 60,
      DeviceCode: deviceCodeTtl,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
  });

  const counts: RequestCounts = { authorization: 0, token: 0, refresh: 0, revocation: 0, userinfo: 0 };
  const devicePolls: number[] = [];
  let slowDownsLeft = deviceSlowDown;
  const tokenRequests: Array<Record<string, unknown>> = [];
  const tokenResponses: Array<Record<string, unknown>> = [];
  const faults = new Map<string, Fault>();
  provider.use(async (ctx, next) => {
    const fault = faults.get(ctx.path);
    if (fault) {
      // oidc-provider never sees this request: record what the client sent, for the leak tests.
      if (ctx.path === '/token') tokenRequests.push(Object.fromEntries(new URLSearchParams(await readBody(ctx.req))));
      return misbehave(ctx, fault);
    }
    await next();
    countRequest(ctx, counts);
    if (ctx.oidc?.route === 'token' && isRecord(ctx.oidc.body)) tokenRequests.push({ ...ctx.oidc.body });
    if (ctx.oidc?.route === 'token' && ctx.status === 200 && isRecord(ctx.body)) tokenResponses.push({ ...ctx.body });
    if (ctx.oidc?.route === 'device_authorization' && ctx.status === 200 && isRecord(ctx.body)) {
      ctx.body.interval ??= deviceInterval;
    }
    if (ctx.oidc?.route === 'token' && (ctx.oidc.params?.grant_type ?? ctx.oidc.body?.grant_type) === DEVICE_CODE_GRANT) {
      devicePolls.push(Date.now());
      // RFC 8628 3.5: a provider may ask the client to poll less often (oidc-provider itself never does).
      if (slowDownsLeft > 0 && isRecord(ctx.body) && ctx.body.error === 'authorization_pending') {
        slowDownsLeft -= 1;
        ctx.body = { error: 'slow_down', error_description: 'you are polling too quickly and should back off at a reasonable rate' };
      }
    }
  });
  server.on('request', provider.callback());

  return {
    issuer,
    clientId: TEST_CLIENT_ID,
    ccClientId: CC_CLIENT_ID,
    ccClientSecret,
    provider,
    counts,
    setAccessTokenTtl: (seconds) => {
      userAccessTokenTtl = seconds;
    },
    devicePolls,
    tokenRequests,
    tokenResponses,
    fault: (path, fault) => void (fault ? faults.set(path, fault) : faults.delete(path)),
    revokeRefreshTokens: async () => store.destroyModel('RefreshToken'),
    close: () => close(server),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

async function misbehave(ctx: KoaContextWithOIDC, fault: Fault): Promise<void> {
  switch (fault) {
    case 'hang':
      // Never answers; close() drops the connection.
      return new Promise<void>(() => {});
    case 'reset':
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    case 'html':
      ctx.status = 502;
      ctx.type = 'text/html';
      ctx.body = '<!doctype html><title>Bad gateway</title><h1>502 Bad Gateway</h1>';
      return;
    case 'not-json':
      ctx.status = 200;
      ctx.type = 'application/json';
      ctx.body = '{"access_token": "trunc';
      return;
  }
}

function countRequest(ctx: KoaContextWithOIDC, counts: RequestCounts): void {
  switch (ctx.oidc?.route) {
    case 'authorization':
      counts.authorization += 1;
      break;
    case 'token': {
      counts.token += 1;
      const grantType = ctx.oidc.params?.grant_type ?? ctx.oidc.body?.grant_type;
      if (grantType === 'refresh_token') counts.refresh += 1;
      break;
    }
    case 'revocation':
      counts.revocation += 1;
      break;
    case 'userinfo':
      counts.userinfo += 1;
      break;
    default:
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive connections from fetch would otherwise hold close() open.
    server.closeAllConnections();
  });
}

const DEVICE_CODE_KEPT_SECONDS = 120;

// Token models whose records are indexed by grant, so that revoking a grant finds them.
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

interface StoredRecord { payload: AdapterPayload; expiresAt: number }

/**
 * One store per provider (oidc-provider's own MemoryAdapter shares a process-wide LRU of 1,000
 * entries between providers), and one that can list what it holds, for revokeRefreshTokens.
 */
class MemoryStore {
  readonly #records = new Map<string, StoredRecord>();
  readonly #grants = new Map<string, Set<string>>();
  readonly #sessionUids = new Map<string, string>();
  readonly #userCodes = new Map<string, string>();

  get(key: string): AdapterPayload | undefined {
    const record = this.#records.get(key);
    if (record && record.expiresAt <= Date.now()) {
      this.#records.delete(key);
      return undefined;
    }
    return record?.payload;
  }

  destroyModel(model: string): void {
    for (const key of this.#records.keys()) {
      if (key.startsWith(`${model}:`)) this.#records.delete(key);
    }
  }

  adapterClass(): new (model: string) => Adapter {
    const store = this;
    const records = this.#records;
    const grants = this.#grants;
    const sessionUids = this.#sessionUids;
    const userCodes = this.#userCodes;
    return class MemoryAdapter implements Adapter {
      readonly #model: string;

      constructor(model: string) {
        this.#model = model;
      }

      #key(id: string): string {
        return `${this.#model}:${id}`;
      }

      async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
        const key = this.#key(id);
        // Expired device codes are kept a while, so that polling with one gets expired_token (RFC 8628,
        // as Auth0 answers) rather than invalid_grant "device code not found".
        const keep = this.#model === 'DeviceCode' ? DEVICE_CODE_KEPT_SECONDS : 0;
        records.set(key, { payload, expiresAt: expiresIn ? Date.now() + (expiresIn + keep) * 1000 : Infinity });
        if (GRANTABLE.has(this.#model) && payload.grantId) {
          const members = grants.get(payload.grantId) ?? new Set<string>();
          grants.set(payload.grantId, members.add(key));
        }
        if (this.#model === 'Session' && payload.uid) sessionUids.set(payload.uid, id);
        if (payload.userCode) userCodes.set(payload.userCode, id);
      }

      async find(id: string): Promise<AdapterPayload | undefined> {
        return store.get(this.#key(id));
      }

      async findByUid(uid: string): Promise<AdapterPayload | undefined> {
        const id = sessionUids.get(uid);
        return id === undefined ? undefined : this.find(id);
      }

      async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
        const id = userCodes.get(userCode);
        return id === undefined ? undefined : this.find(id);
      }

      async consume(id: string): Promise<void> {
        const payload = store.get(this.#key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      }

      async destroy(id: string): Promise<void> {
        records.delete(this.#key(id));
      }

      async revokeByGrantId(grantId: string): Promise<void> {
        for (const key of grants.get(grantId) ?? []) records.delete(key);
        grants.delete(grantId);
      }
    };
  }
}
