/**
 * Logs at every level (the server runs at `trace`, every line captured) never carry a client address,
 * a cookie, a token, a host key, a password or a meeting ID, whatever the requests carried.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/server/logger.js';
import { startConvene } from '../../src/server/main.js';

const ADDRESS = '203.0.113.77';
const COOKIE_SECRET = 'CookieSecretValue0123456789abcdefXYZ';
const PASSWORD = 'correct horse battery staple';

test('no log line at any level carries addresses, cookies, tokens, host keys, passwords or meeting IDs', async () => {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'trace',
    destination: { write: (line: string) => void lines.push(line) },
  });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-logs-'));
  const server = await startConvene(
    loadConfig({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: 'trace',
      geo: { trustedProxies: ['127.0.0.1', '::1'] },
    }),
    { logger },
  );
  const secrets: string[] = [ADDRESS, COOKIE_SECRET, PASSWORD];
  try {
    const headers = {
      'content-type': 'application/json',
      'x-forwarded-for': ADDRESS,
      cookie: `convene_session=${COOKIE_SECRET}; convene_guest=${COOKIE_SECRET}`,
    };
    const created = await fetch(`${server.url}/api/meetings`, { method: 'POST', headers, body: '{}' });
    const meeting = (await created.json()) as { id: string; hostKey: string };
    secrets.push(meeting.id, meeting.hostKey);
    await fetch(`${server.url}/m/${meeting.id}?x=${COOKIE_SECRET}`, { headers });
    await fetch(`${server.url}/api/session`, { headers });
    const email = 'logs@example.org';
    await fetch(`${server.url}/api/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ADDRESS },
      body: JSON.stringify({ email, password: PASSWORD, displayName: 'Logs' }),
    });
    const signIn = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ADDRESS },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const sessionToken = (signIn.headers.get('set-cookie') ?? '').split(';')[0]?.split('=')[1] ?? '';
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    secrets.push(sessionToken, csrfToken);

    // A malformed request: Fastify's default client-error log reproduced these raw bytes.
    await new Promise<void>((resolve) => {
      const port = Number(new URL(server.url).port);
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          `GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: convene_session=${COOKIE_SECRET}\r\n` +
            `X-Forwarded-For: ${ADDRESS}\r\nBad header line without colon\r\n\r\n`,
        );
      });
      socket.on('data', () => undefined);
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });

    // A join and a leave over the WebSocket, with the host key, from the "forwarded" address.
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers });
    const replies: Array<{ type: string; resumeToken?: string }> = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () =>
        ws.send(
          JSON.stringify({
            v: 1,
            type: 'join',
            rid: 'j',
            meetingId: meeting.id,
            displayName: 'Logger',
            hostKey: meeting.hostKey,
          }),
        ),
      );
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { type: string; resumeToken?: string };
        replies.push(msg);
        if (msg.type === 'joined') ws.send(JSON.stringify({ v: 1, type: 'leave', rid: 'l' }));
      });
      ws.on('close', () => resolve());
      ws.on('error', reject);
    });
    const joined = replies.find((r) => r.type === 'joined');
    assert.ok(joined?.resumeToken, JSON.stringify(replies));
    secrets.push(joined.resumeToken);
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  const text = lines.join('');
  assert.ok(lines.length > 20, `the server logged at trace (${lines.length} lines)`);
  assert.match(text, /"level":10/, 'trace lines were captured');
  for (const secret of secrets) {
    const at = text.indexOf(secret);
    assert.equal(at, -1, `a log line carries a secret: …${text.slice(Math.max(0, at - 200), at + 60)}…`);
  }
});
