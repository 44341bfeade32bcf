/** `convene start` as a user runs it: the real command in a child process. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { RawSocket } from '../support/RawSocket.js';
import { startTestServer } from '../support/server.js';

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

/** Starts the real command and resolves with its printed address once it is up; the caller stops it. */
async function startCommand(
  env: Record<string, string>,
): Promise<{ url: string; stop: () => Promise<number | null>; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-start-env-'));
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, CONVENE_LOG_LEVEL: 'warn', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /running at (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`convene exited with ${code}: ${stderr.slice(0, 2000)}`)));
  });
  return {
    url,
    dataDir,
    stop: async () => {
      child.kill('SIGTERM');
      const code = await exited;
      await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Joins over a raw WebSocket (as a non-browser client, optionally through a "proxy" header). */
function joinOnce(
  url: string,
  meetingId: string,
  forwardedFor?: string,
): Promise<{ type: string; code?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, {
      headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    });
    ws.on('open', () =>
      ws.send(JSON.stringify({ v: 1, type: 'join', rid: 'j', meetingId, displayName: 'Tester' })),
    );
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; rid?: string; code?: string };
      if (msg.rid !== 'j') return;
      ws.close();
      resolve(msg);
    });
    ws.on('error', reject);
  });
}

async function createMeetingDenying(url: string, jurisdictions: string[]): Promise<string> {
  const email = `start-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`;
  const signUp = await fetch(`${url}/api/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery', displayName: 'Host' }),
  });
  assert.equal(signUp.status, 202);
  const signIn = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery' }),
  });
  assert.equal(signIn.status, 200);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ settings: { regionPolicy: { mode: 'deny', jurisdictions } } }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { id: string }).id;
}

// Public addresses placed by the bundled DB-IP database (checked in test/unit/geo).
const US_ADDRESS = '8.8.8.8';
const DE_ADDRESS = '194.25.0.68';

test('CONVENE_TRUSTED_PROXIES: the command starts and believes X-Forwarded-For from the proxy only', async () => {
  const server = await startCommand({ CONVENE_TRUSTED_PROXIES: '127.0.0.1, ::1' });
  try {
    const meetingId = await createMeetingDenying(server.url, ['US']);
    assert.equal((await joinOnce(server.url, meetingId, US_ADDRESS)).code, 'region_not_allowed');
    assert.equal((await joinOnce(server.url, meetingId, DE_ADDRESS)).type, 'joined');
  } finally {
    assert.equal(await server.stop(), 0, 'clean exit');
  }
});

test('CONVENE_GEO_OVERRIDES: the command starts and places local clients by the override', async () => {
  const server = await startCommand({ CONVENE_GEO_OVERRIDES: '127.0.0.0/8=FR, ::1/128=FR' });
  try {
    const meetingId = await createMeetingDenying(server.url, ['FR']);
    assert.equal((await joinOnce(server.url, meetingId)).code, 'region_not_allowed');
    const other = await createMeetingDenying(server.url, ['DE']);
    assert.equal((await joinOnce(server.url, other)).type, 'joined');
  } finally {
    assert.equal(await server.stop(), 0, 'clean exit');
  }
});

test('CONVENE_JANUS_URLS: the command uses an existing Janus and starts none of its own', async () => {
  // The existing node: a Janus supervised by an in-process Convene.
  const host = await startTestServer();
  const janus = host.janus?.localProcess;
  assert.ok(janus, 'the in-process server runs its own Janus');
  const server = await startCommand({
    CONVENE_JANUS_URLS: janus.url,
    CONVENE_JANUS_API_SECRET: janus.apiSecret,
    CONVENE_JANUS_ADMIN_KEY: janus.adminKey,
    // A binary that does not exist: proves the command never tries to start its own.
    CONVENE_JANUS_BINARY: '/nonexistent/janus',
  });
  try {
    const meetingId = await createMeetingDenying(server.url, ['CN']);
    assert.equal((await joinOnce(server.url, meetingId)).type, 'joined', 'seated on the existing Janus');
  } finally {
    assert.equal(await server.stop(), 0, 'clean exit');
    await host.close();
  }
});

test('CONVENE_JOIN_TIMEOUT_MS and CONVENE_MAX_SOCKETS_PER_CLIENT: the command applies them', async () => {
  const server = await startCommand({ CONVENE_JOIN_TIMEOUT_MS: '300', CONVENE_MAX_SOCKETS_PER_CLIENT: '1' });
  try {
    const first = await RawSocket.open(server.url);
    const second = await RawSocket.open(server.url);
    assert.equal((await second.next()).code, 'too_many_connections');
    assert.equal((await second.closed).code, 4009);
    assert.equal((await first.next()).code, 'join_timeout');
    assert.equal((await first.closed).code, 4008);
  } finally {
    assert.equal(await server.stop(), 0, 'clean exit');
  }
});
