// Bundles each page (its script and stylesheet) with esbuild and writes its index.html: out/<page>/{index.html,
// app.js, app.css}. Minified, with no source maps in the jar, and targets browsers of the last few years.
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2] ?? 'dist/courier-web';
/** Each page: its folder under src/ (main.tsx) and out/, and its title. */
const titles = {
  'notifier-console': 'Courier notifier console',
  portal: 'Webhooks',
  'relay-console': 'Courier relay console',
};
const pages = Object.keys(titles);

/** The one HTML document of a page: its stylesheet and module script, nothing inline (the policy forbids it). */
const html = (title) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${title}</title>
    <link rel="stylesheet" href="app.css" />
    <script type="module" src="app.js"></script>
  </head>
  <body>
    <div id="app"><noscript>This page needs JavaScript.</noscript></div>
  </body>
</html>
`;

rmSync(out, { recursive: true, force: true });
for (const page of pages) {
  mkdirSync(join(out, page), { recursive: true });
  writeFileSync(join(out, page, 'index.html'), html(titles[page]));
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
