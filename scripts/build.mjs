// Builds dist/ with esbuild, as two bundles, because start-up time is what `mycli whoami` and
// `mycli token` are judged on (npm run bench):
//
// - dist/cli.cjs, the start-up bundle: main, commander, chalk, whoami, token and what they read. One
//   CommonJS file: Node pays about 1 ms for every ES module it loads, and its ES-module loader is not
//   needed at all when bin/mycli.js (CommonJS too) loads this one file. Its dynamic imports of our own
//   modules become imports of dist/lazy.js; those of packages stay imports from node_modules (never
//   reached on the hot paths). dist/cli.cache is V8's code cache for it (see bin/mycli.js).
// - dist/lazy.js (src/lazy.ts) and its chunks: login, logout, config, refresh, with openid-client, conf,
//   proper-lockfile and the spinner, each chunk loaded when first needed.
//
// The two bundles each hold a copy of the small shared modules; src/errors.ts makes `instanceof` work
// across the copies.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
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

// An ESM `import … from 'node:fs'` makes Node build an ES-module facade of the whole built-in, reading
// every export (for node:process that even opens stdin): about 13 ms of mycli's start-up. Statically
// imported built-ins are therefore loaded with require(), as CommonJS code does.
const builtinsViaRequire = {
  name: 'builtins-via-require',
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      args.kind === 'import-statement' && isBuiltin(args.path) ? { path: args.path, namespace: 'builtin' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
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
// dist/lazy.js (which exports them all: src/lazy.ts), packages and built-ins from where Node finds them.
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
  // `open` finds its xdg-open script next to its own files; undici (only with a proxy set) does not
  // survive bundling into ESM: both load from node_modules.
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
    plugins: [commanderWithoutEagerChildProcess, builtinsViaRequire, lazyImportsFromLazyBundle],
  }),
  build({
    ...common,
    entryPoints: ['src/lazy.ts'],
    outfile: 'dist/lazy.cjs',
    // Headers and Response, wherever bundled code names them, are mycli's (src/net/web-classes.ts):
    // Node's globals would load its whole fetch implementation.
    inject: ['src/net/web-classes.ts'],
    plugins: [builtinsViaRequire, withoutAjv],
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
// login, then whoami (scripts/warm-up.ts). bin/mycli.js hands them to V8, which ignores a cache made
// under another Node version.
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
