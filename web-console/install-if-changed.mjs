// Runs `npm ci` unless node_modules already holds exactly what package-lock.json locks (npm writes what it installed
// to node_modules/.package-lock.json): every installed package at its locked version, every package the lock
// requires on this platform installed. A build after the first one then needs no network at all.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const npm = process.argv[2] ?? 'npm';
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages;
const installed = existsSync('node_modules/.package-lock.json')
  ? JSON.parse(readFileSync('node_modules/.package-lock.json', 'utf8')).packages
  : null;
const matches =
  installed !== null &&
  Object.entries(installed).every(([path, p]) => lock[path]?.version === p.version) &&
  Object.entries(lock).every(([path, p]) => path === '' || p.optional || path in installed);
if (matches) {
  console.log('node_modules matches package-lock.json');
} else {
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
}
