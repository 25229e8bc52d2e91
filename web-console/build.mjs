// Bundles each page (its script and stylesheet) with esbuild and copies its index.html: out/<page>/{index.html,
// app.js, app.css}. Minified, with no source maps in the jar, and targets browsers of the last few years.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2] ?? 'dist/courier-web';
const pages = ['notifier-console', 'portal'];
rmSync(out, { recursive: true, force: true });
for (const page of pages) {
  mkdirSync(join(out, page), { recursive: true });
  copyFileSync(join('src', page, 'index.html'), join(out, page, 'index.html'));
}
await esbuild.build({
  entryPoints: pages.map((page) => ({ in: join('src', page, 'main.tsx'), out: join(page, 'app') })),
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
console.log(`built ${pages.join(', ')} into ${out}`);
