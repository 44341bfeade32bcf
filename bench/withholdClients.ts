/**
 * Child process of bench:withhold: real WebSocket clients, each joining a meeting through Convene's
 * signaling from a given (trusted-proxy) X-Forwarded-For address. Once armed, it records the first
 * message each client receives and when (wall clock, sub-millisecond), and reports them.
 */
import WebSocket from 'ws';

interface Spec {
  meetingId: string;
  address: string;
}
type Command =
  | { cmd: 'join'; url: string; clients: Spec[] }
  | { cmd: 'arm' }
  | { cmd: 'report' }
  | { cmd: 'rejoin'; url: string };

const now = () => performance.timeOrigin + performance.now();
interface Client {
  spec: Spec;
  ws: WebSocket | undefined;
  first: { type: string; reason?: string; at: number } | undefined;
  messages: number;
  ended: boolean;
}
const clients: Client[] = [];
let armed = false;

function connect(url: string, c: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, {
      headers: { 'x-forwarded-for': c.spec.address },
    });
    c.ws = ws;
    c.ended = false;
    ws.on('open', () =>
      ws.send(
        JSON.stringify({ v: 1, type: 'join', rid: 'j', meetingId: c.spec.meetingId, displayName: 'bench' }),
      ),
    );
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; rid?: string; reason?: string; code?: string };
      if (msg.rid === 'j') {
        if (msg.type === 'joined') resolve();
        else reject(new Error(`join refused: ${msg.code ?? msg.type}`));
        return;
      }
      if (!armed) return;
      c.messages++;
      c.first ??= { type: msg.type, ...(msg.reason ? { reason: msg.reason } : {}), at: now() };
      if (msg.type === 'sessionEnded') c.ended = true;
    });
    ws.on('error', reject);
  });
}

async function inBatches<T>(items: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

process.on('message', (raw) => {
  const m = raw as Command;
  void (async () => {
    if (m.cmd === 'join') {
      for (const spec of m.clients)
        clients.push({ spec, ws: undefined, first: undefined, messages: 0, ended: false });
      await inBatches(clients, 100, (c) => connect(m.url, c));
      process.send?.({ ok: true, joined: clients.length });
    } else if (m.cmd === 'arm') {
      for (const c of clients) {
        c.first = undefined;
        c.messages = 0;
      }
      armed = true;
      process.send?.({ ok: true, armedAt: now() });
    } else if (m.cmd === 'report') {
      process.send?.({
        ok: true,
        clients: clients.map((c) => ({ first: c.first ?? null, messages: c.messages, ended: c.ended })),
      });
    } else if (m.cmd === 'rejoin') {
      armed = false;
      await inBatches(
        clients.filter((c) => c.ended),
        100,
        (c) => connect(m.url, c),
      );
      process.send?.({ ok: true });
    }
  })().catch((err: unknown) => process.send?.({ ok: false, error: String(err) }));
});
