// Bundles src/ into dist/ with esbuild: one module graph resolved at build time, so start-up pays for
// no module resolution of our own files. Chunks are split so each command loads only what it needs.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: false,
  legalComments: 'none',
  define: { MYCLI_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
