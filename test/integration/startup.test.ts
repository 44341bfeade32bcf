/** `convene start` as a user runs it: the real command in a child process. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const BIN = new URL('../../bin/convene.js', import.meta.url).pathname;

function runConvene(args: string[], env: Record<string, string>, untilOutput?: RegExp) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
      if (untilOutput?.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

test('without Janus, convene start says exactly what to install and exits non-zero', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-nojanus-'));
  const r = await runConvene(['start', '--port', '0', '--data-dir', dataDir], {
    CONVENE_JANUS_BINARY: '/nonexistent/janus',
  });
  await rm(dataDir, { recursive: true, force: true });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /apt-get install -y janus/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'a message, not a stack trace');
});

test('a bad flag is refused before anything starts, naming the setting', async () => {
  const r = await runConvene(['start', '--port', 'not-a-port'], {});
  assert.equal(r.code, 1);
  assert.match(r.stderr, /port/);
});

test('convene start runs its own Janus, prints its address, and stops cleanly on SIGTERM', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-start-'));
  const r = await runConvene(
    ['start', '--port', '0', '--data-dir', dataDir],
    { CONVENE_LOG_LEVEL: 'warn' },
    /running at http/,
  );
  await rm(dataDir, { recursive: true, force: true });
  assert.match(r.stdout, /Convene is running at http:\/\/127\.0\.0\.1:\d+/);
  assert.equal(r.code, 0, `clean exit (stderr: ${r.stderr.slice(0, 500)})`);
});
