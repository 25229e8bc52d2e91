// Unit tests of the pages' pure logic (text encoding, the router, query strings, formatting), property-based with
// fast-check: bundled by esbuild for Node and run by Node's own test runner. Writes a JUnit report where Maven's
// reports go, so the build's test summary counts them: node test.mjs <report directory>.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const reports = process.argv[2] ?? 'target/surefire-reports';
const out = join('target', 'web-tests');
rmSync(out, { recursive: true, force: true });
const tests = readdirSync('test').filter((name) => name.endsWith('.test.ts'));
await esbuild.build({
  entryPoints: tests.map((name) => join('test', name)),
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18',
  packages: 'external',
  logLevel: 'warning',
});
mkdirSync(reports, { recursive: true });
const junit = join(out, 'junit.xml');
const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=junit',
    `--test-reporter-destination=${junit}`,
    ...tests.map((name) => join(out, name.replace(/\.ts$/, '.mjs'))),
  ],
  { stdio: 'inherit' },
);
// Maven's reports have one <testsuite> with the counts; Node's have <testcase>s under <testsuites>.
const cases = existsSync(junit) ? readFileSync(junit, 'utf8') : '';
const count = (pattern) => (cases.match(pattern) ?? []).length;
const inner = cases.replace(/^<\?xml[^>]*>\s*/, '').replace(/<\/?testsuites>/g, '');
writeFileSync(
  join(reports, 'TEST-web-console.xml'),
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="web-console" tests="${count(/<testcase /g)}"` +
    ` failures="${count(/<failure/g)}" errors="0" skipped="${count(/<skipped/g)}">\n${inner}</testsuite>\n`,
);
process.exit(run.status ?? 1);
