/**
 * bin/convene.js executed as a program, the way `npm start` and the installed `convene` bin run it:
 * through its `#!/usr/bin/env -S ...` line, which sets glibc's malloc to give freed memory back to the
 * system (BENCHMARKS.md, bench:footprint). The other startup tests run `node bin/convene.js`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const BIN = new URL('../../bin/convene.js', import.meta.url).pathname;

test('bin/convene.js run as a program prints its usage', async () => {
  const child = spawn(BIN, ['--help']);
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 0);
  assert.match(stdout, /Usage: convene start/);
});

test('convene start run as a program gets the malloc setting, is node itself, and stops on SIGTERM', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-bin-'));
  const child = spawn(BIN, ['start', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, CONVENE_LOG_LEVEL: 'warn' },
  });
  try {
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += String(d);
        if (/running at http/.test(stdout)) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`exited ${code} before it was up: ${stderr.slice(0, 500)}`)),
      );
    });
    // env(1) replaces itself with node: the child's pid is the server (signals reach it directly).
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    assert.match(path.basename(cmdline[0] ?? ''), /^node/);
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0');
    assert.ok(environ.includes('MALLOC_TRIM_THRESHOLD_=131072'), 'the #! line sets MALLOC_TRIM_THRESHOLD_');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
});
