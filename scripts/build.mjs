// Bundles src/ into dist/ with esbuild: one module graph resolved at build time, so start-up pays for
// no module resolution of our own files. Chunks are split so each command loads only what it needs.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';

// An ESM `import … from 'node:fs'` makes Node build an ES-module facade of the whole built-in, reading
// every export (for node:process that even opens stdin): about 13 ms of mycli's start-up. Statically
// imported built-ins are therefore loaded with require(), as CommonJS code does.
// conf's schema validator, which mycli never uses (see scripts/stubs/ajv.js).
const withoutAjv = {
  name: 'without-ajv',
  setup(build) {
    build.onResolve({ filter: /^ajv(-formats)?(\/|$)/ }, () => ({ path: fileURLToPath(new URL('stubs/ajv.js', import.meta.url)) }));
  },
};

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

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies are bundled too, so start-up resolves and reads one file per chunk, not dozens.
  // `open` stays external: it finds its bundled xdg-open script next to its own files. undici (loaded
  // only when a proxy is set) stays external too: it does not survive bundling into ESM.
  external: ['open', 'undici'],
  // Bundled CommonJS (commander, ajv) calls require() for Node built-ins.
  banner: { js: "import { createRequire as __mycliCreateRequire } from 'node:module'; const require = __mycliCreateRequire(import.meta.url);" },
  plugins: [builtinsViaRequire, withoutAjv],
  metafile: true,
  sourcemap: false,
  minify: true,
  legalComments: 'none',
  define: { MYCLI_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
// Kept for test/bundle.test.ts, which checks what the hot paths load.
writeFileSync(new URL('../dist/meta.json', import.meta.url), JSON.stringify(result.metafile));
if (process.env.MYCLI_BUILD_ANALYZE) {
  const { analyzeMetafile } = await import('esbuild');
  console.log(await analyzeMetafile(result.metafile));
}
