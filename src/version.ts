// Replaced at build time from package.json (scripts/build.mjs); unbundled runs (unit tests) say dev.
declare const MYCLI_VERSION: string | undefined;
export const VERSION: string = typeof MYCLI_VERSION === 'string' ? MYCLI_VERSION : '0.0.0-dev';
