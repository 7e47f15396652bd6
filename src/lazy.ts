// The second bundle, dist/lazy.cjs (scripts/build.mjs): everything that the start-up bundle, dist/cli.cjs,
// loads only when a command needs it (the protocol library, the writer, the lock, the browser opener).
// dist/cli.cjs turns each of its dynamic imports of these modules into an import of this one.
export { debugFromEnv, enableDebugLog } from './net/debug.js';
export { runLogin } from './commands/login.js';
export { runLogout } from './commands/logout.js';
export { runConfigGet, runConfigList, runConfigSet, runConfigUnset } from './commands/config.js';
export { whoamiFromEnvToken } from './commands/whoami-env.js';
export { verifySession } from './auth/verify.js';
export { getValidSession } from './auth/refresh.js';
export { httpFetch } from './net/http-fetch.js';
