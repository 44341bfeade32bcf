/**
 * The browser client library's SignalingClient (src/client/), run in Node over `ws`: the same reconnect,
 * resume and rejoin rules the web app uses, for tests of restarts and outages. The network can be cut:
 * while `offline`, every new socket goes to a closed port (refused at once, as a lost network would be).
 */
import WebSocket from 'ws';
import { SignalingClient, type SocketLike } from '../../src/client/SignalingClient.js';
import type { JoinedMessage } from '../../src/protocol/messages.js';

export interface LibraryClient {
  client: SignalingClient;
  /** Every state the client went through, in order. */
  states: string[];
  /** The `joined` of the last `sessionReset` (a fresh seat after the old one was gone). */
  lastReset(): JoinedMessage | undefined;
  /** Error codes the server sent this client (from `error` frames), in order. */
  errorCodes: string[];
  setOffline(offline: boolean): void;
  /** Drops the current socket without a close frame. */
  dropSocket(): void;
}

export function librarySignaling(url: string): LibraryClient {
  const origin = new URL(url).origin;
  const wsUrl = `${url.replace(/^http/, 'ws')}/ws`;
  let offline = false;
  let current: WebSocket | undefined;
  const errorCodes: string[] = [];
  const client = new SignalingClient({
    url: wsUrl,
    createSocket: (target) => {
      const ws = new WebSocket(offline ? 'ws://127.0.0.1:1/ws' : target, { origin });
      ws.on('error', () => undefined);
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { type?: string; code?: string };
        if (msg.type === 'error' && msg.code) errorCodes.push(msg.code);
      });
      current = ws;
      return ws as unknown as SocketLike;
    },
    backoffInitialMs: 100,
    backoffMaxMs: 1000,
  });
  const states: string[] = [];
  let reset: JoinedMessage | undefined;
  client.on('state', (s) => states.push(s));
  client.on('sessionReset', (joined) => (reset = joined));
  return {
    client,
    states,
    errorCodes,
    lastReset: () => reset,
    setOffline: (value) => (offline = value),
    dropSocket: () => current?.terminate(),
  };
}

/** Polls `predicate` every 50 ms; rejects after timeoutMs naming `what`. */
export async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
