#!/usr/bin/env node
/**
 * The one test command (`npm test`): type-check, build the web app, then run every tier in one
 * node:test run: unit (pure logic), integration (real Janus), end-to-end (real Chromium).
 * `npm test -- unit integration` runs only the named tiers. A missing Janus or Chromium fails the run
 * and says what to install; no tier is ever skipped silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const ALL = ['unit', 'integration', 'e2e'];
const tiers = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
for (const t of tiers) {
  if (!ALL.includes(t)) {
    console.error(`Unknown tier "${t}". Tiers: ${ALL.join(', ')}`);
    process.exit(2);
  }
}

const janus = process.env.CONVENE_JANUS_BINARY ?? '/usr/bin/janus';
const chromium = process.env.CONVENE_CHROMIUM ?? '/usr/bin/chromium';
const missing = [];
if ((tiers.includes('integration') || tiers.includes('e2e')) && !existsSync(janus)) missing.push(`Janus (${janus})`);
if (tiers.includes('e2e') && !existsSync(chromium)) missing.push(`Chromium (${chromium})`);
if (missing.length) {
  console.error(`Cannot run the tests: missing ${missing.join(' and ')}.`);
  console.error('Install them with: sudo apt-get install -y janus chromium postgresql');
  process.exit(1);
}
if (tiers.includes('integration')) {
  // The store tests run against PostgreSQL too: make sure one is up (or say what to install).
  const pgUp = spawnSync('bash', [path.join(root, 'scripts/test-postgres.sh')], { encoding: 'utf8' });
  if (pgUp.status !== 0) {
    console.error(`Cannot run the integration tests without PostgreSQL:\n${pgUp.stderr.trim()}`);
    process.exit(1);
  }
}

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

console.log('== type check');
if (run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0) process.exit(1);
// The production server build (`npm start` compiles it) has no DOM types: check it too, so code
// shared with the browser cannot break the documented start command.
if (run('npx', ['tsc', '-p', 'tsconfig.build.json', '--noEmit']) !== 0) process.exit(1);
if (tiers.includes('e2e')) {
  console.log('== build web app');
  if (run('npx', ['vite', 'build', '--logLevel', 'warn']) !== 0) process.exit(1);
}

const files = [];
const walk = (dir) => {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (entry.name.endsWith('.test.ts')) files.push(path.relative(root, p));
  }
};
for (const t of tiers) walk(path.join(root, 'test', t));
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}

console.log(`== ${tiers.join(' + ')}: ${files.length} files`);
const tap = path.join(mkdtempSync(path.join(os.tmpdir(), 'convene-tap-')), 'results.tap');
const status = run(process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tap}`,
  ...files,
]);
const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
const count = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
const passed = count('pass');
const failed = count('fail') + count('cancelled');
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(status === 0 && failed === 0 && passed > 0 ? 0 : 1);
