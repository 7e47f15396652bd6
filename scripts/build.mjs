// Builds dist/ with esbuild, as two bundles, because start-up time is what `mycli whoami` and
// `mycli token` are judged on, and CPU what a login is (npm run bench):
//
// - dist/cli.cjs, the start-up bundle: main, commander, chalk, whoami, token and what they read.
// - dist/lazy.cjs (src/lazy.ts): login, logout, config, refresh, with openid-client, conf,
//   proper-lockfile and the spinner, loaded only by the commands that need them.
//
// Both are single CommonJS files: Node pays about 1 ms for every ES module it loads, and its ES-module
// loader is not needed at all when bin/mycli.js (CommonJS too) loads them. Dynamic imports of our own
// modules in dist/cli.cjs become imports of dist/lazy.cjs; those of packages (open, undici) stay
// imports from node_modules. bin/mycli.js loads each bundle with V8's code cache made for it here
// (dist/cli.cache, dist/lazy.cache, by scripts/warm-up.ts), so it is not parsed and compiled again.
//
// The two bundles each hold a copy of the small shared modules; src/errors.ts makes `instanceof` work
// across the copies.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

// conf's schema validator, which mycli never uses (see scripts/stubs/ajv.js).
const withoutAjv = {
  name: 'without-ajv',
  setup(build) {
    build.onResolve({ filter: /^ajv(-formats)?(\/|$)/ }, () => ({ path: here('stubs/ajv.js') }));
  },
};

// chalk's terminal detection, which mycli does not use (see scripts/stubs/supports-color.js).
const chalkWithoutColorDetection = {
  name: 'chalk-without-color-detection',
  setup(build) {
    build.onResolve({ filter: /^#supports-color$/ }, (args) =>
      args.importer.includes('node_modules/chalk/') ? { path: here('stubs/supports-color.js') } : undefined,
    );
  },
};

// commander requires node:child_process at load time (which loads net, dgram and more) only to run
// stand-alone executable subcommands, which mycli has none of: it gets the module on first use instead.
const commanderWithoutEagerChildProcess = {
  name: 'commander-without-eager-child-process',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes('node_modules/commander/') ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "let m; module.exports = new Proxy({}, { get: (_, key) => (m ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

// In the start-up bundle: what is imported dynamically is not bundled. Our modules come from
// dist/lazy.cjs (which exports them all: src/lazy.ts), packages and built-ins from where Node finds them.
const lazyImportsFromLazyBundle = {
  name: 'lazy-imports-from-lazy-bundle',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      return args.path.startsWith('.') ? { path: './lazy.cjs', external: true } : { path: args.path, external: true };
    });
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // `open` finds its xdg-open script next to its own files; undici (large, and only used with a proxy
  // set) is left where it is: both load from node_modules.
  external: ['open', 'undici'],
  metafile: true,
  minify: true,
  legalComments: 'none',
  define: { MYCLI_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

rmSync(here('../dist'), { recursive: true, force: true });
const [startup, lazy] = await Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.cjs',
    plugins: [commanderWithoutEagerChildProcess, chalkWithoutColorDetection, lazyImportsFromLazyBundle],
  }),
  build({
    ...common,
    entryPoints: ['src/lazy.ts'],
    outfile: 'dist/lazy.cjs',
    // Headers and Response, wherever bundled code names them, are mycli's (src/net/web-classes.ts):
    // Node's globals would load its whole fetch implementation.
    inject: ['src/net/web-classes.ts'],
    plugins: [withoutAjv, chalkWithoutColorDetection],
  }),
]);
// Both bundles run inside a vm.Script (for the code cache), where import() has no loader: their dynamic
// imports call the loader bin/mycli.js hands them instead. Every one of them is rewritten, and counted
// against esbuild's own list, so none is missed or invented.
for (const [result, file] of [[startup, 'dist/cli.cjs'], [lazy, 'dist/lazy.cjs']]) {
  const path = here(`../${file}`);
  const dynamicImports = result.metafile.outputs[file].imports.filter((i) => i.kind === 'dynamic-import').length;
  const source = readFileSync(path, 'utf8');
  const rewrites = (source.match(/\bimport\(/g) ?? []).length;
  if (rewrites !== dynamicImports) throw new Error(`${file}: ${rewrites} import( found, esbuild reports ${dynamicImports} dynamic imports`);
  writeFileSync(path, source.replace(/\bimport\(/g, '__mycliImport('));
}

// V8's code caches for both bundles (dist/cli.cache, dist/lazy.cache), made by running mycli: a real
// login and the everyday commands after it (scripts/warm-up.ts). bin/mycli.js hands them to V8, which
// ignores a cache made under another Node version.
const warmUp = spawnSync(process.execPath, ['--import', 'tsx', here('warm-up.ts')], { cwd: here('..'), encoding: 'utf8' });
for (const cache of ['cli.cache', 'lazy.cache']) {
  if (warmUp.status !== 0 || !existsSync(here(`../dist/${cache}`))) {
    throw new Error(`making the code caches failed (exit ${warmUp.status}): ${warmUp.stderr}`);
  }
}
// Kept for test/bundle.test.ts, which checks what start-up loads.
writeFileSync(here('../dist/meta.json'), JSON.stringify({ startup: startup.metafile, lazy: lazy.metafile }));
if (process.env.MYCLI_BUILD_ANALYZE) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(startup.metafile), await analyzeMetafile(lazy.metafile));
}
