/** A guest browser is known by the `convene_guest` cookie, issued on its first signaling connection. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.close();
});

function upgradeCookie(headers: Record<string, string> = {}): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers });
    ws.once('upgrade', (res) => {
      resolve(res.headers['set-cookie']?.[0]);
      ws.close();
    });
    ws.once('error', reject);
  });
}

test('a new browser gets an HttpOnly guest key cookie; a known one keeps its key', async () => {
  const issued = await upgradeCookie();
  assert.match(issued ?? '', /^convene_guest=[A-Za-z0-9_-]{22,};/);
  assert.match(issued ?? '', /HttpOnly/);
  assert.match(issued ?? '', /SameSite=Lax/);
  const key = (issued ?? '').split(';')[0] ?? '';
  assert.equal(await upgradeCookie({ Cookie: key }), undefined, 'no new cookie for a known guest');
  const bogus = await upgradeCookie({ Cookie: 'convene_guest=<script>' });
  assert.match(bogus ?? '', /^convene_guest=[A-Za-z0-9_-]{22,};/, 'a malformed key is replaced');
});

test('the host-key cookie set by creating an anonymous meeting makes its browser the host', async () => {
  const res = await fetch(`${server.url}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { id } = (await res.json()) as { id: string };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  assert.match(cookie, new RegExp(`^convene_host_${id}=`));
  const role = (headers: Record<string, string>) =>
    new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers });
      ws.on('open', () =>
        ws.send(JSON.stringify({ v: 1, type: 'join', rid: 'j', meetingId: id, displayName: 'H' })),
      );
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { type: string; self?: { role: string }; code?: string };
        ws.close();
        resolve(msg.type === 'joined' ? (msg.self?.role ?? '?') : (msg.code ?? msg.type));
      });
      ws.on('error', reject);
    });
  assert.equal(await role({ Cookie: cookie }), 'host');
  assert.equal(await role({}), 'participant', 'without the cookie, the same join is an ordinary participant');
});
