// oidc-provider 9 ships no type declarations and @types/oidc-provider is not installed:
// this declares only the surface the test support code uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface AdapterPayload {
    [key: string]: unknown;
    jti?: string;
    grantId?: string;
    userCode?: string;
    uid?: string;
    consumed?: unknown;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface OIDCContext {
    readonly route?: string;
    readonly params?: Record<string, unknown>;
    readonly body?: Record<string, unknown>;
  }

  export interface KoaContextWithOIDC {
    readonly method: string;
    readonly path: string;
    readonly req: IncomingMessage;
    status: number;
    body: unknown;
    type: string;
    respond: boolean;
    readonly oidc?: OIDCContext;
  }

  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    [key: string]: unknown;
  }

  export interface AccountClaims {
    sub: string;
    [claim: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): AccountClaims | Promise<AccountClaims>;
  }

  export interface Client {
    readonly clientId: string;
    grantTypeAllowed(grantType: string): boolean;
  }

  export interface Configuration {
    adapter?: new (name: string) => Adapter;
    clients?: ClientMetadata[];
    findAccount?: (ctx: KoaContextWithOIDC, id: string) => Account | undefined | Promise<Account | undefined>;
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: Client, source: unknown) => boolean | Promise<boolean>;
    expiresWithSession?: (ctx: KoaContextWithOIDC, source: unknown) => boolean | Promise<boolean>;
    [key: string]: unknown;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: Middleware): void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
