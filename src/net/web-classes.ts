// Injected by the build (scripts/build.mjs, esbuild's `inject`) into dist/lazy.cjs, where it stands for
// the global Headers and Response wherever the bundled code names them (openid-client builds Headers for
// every request and checks that answers are Responses). Touching Node's own globals loads its whole
// fetch implementation (undici), which src/net/http-fetch.ts exists to avoid. The answers of undici's
// fetch (used with a proxy) still pass openid-client's check, which compares Symbol.toStringTag.
export { HttpHeaders as Headers, HttpResponse as Response } from './http-fetch.js';
