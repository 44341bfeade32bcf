/**
 * What keeps one signaling socket from holding server memory or a descriptor for nothing: a heartbeat
 * (WebSocket ping frames; a peer that does not answer is dropped) and a close that cannot hang (a
 * peer that never completes the closing handshake, or never reads, is dropped shortly after).
 */
import type { WebSocket } from 'ws';

/** The limits one signaling socket lives under (config: docs/protocol.md "Connection limits"). */
export interface SocketLimits {
  /** A socket that has joined neither a seat nor a lobby this long after opening is closed. */
  joinTimeoutMs: number;
  pingIntervalMs: number;
  pongTimeoutMs: number;
  /** Bytes already queued for a socket beyond which the next message sheds it instead. */
  maxBufferedBytes: number;
}

/** How long a closing socket may take to finish the closing handshake before it is dropped. */
export const CLOSE_GRACE_MS = 1000;

/**
 * Pings every `pingIntervalMs`; when a pong has not come `pongTimeoutMs` after a ping, calls `dead`
 * (which drops the socket). Stops by itself when the socket closes.
 */
export function keepAlive(
  ws: WebSocket,
  limits: Pick<SocketLimits, 'pingIntervalMs' | 'pongTimeoutMs'>,
  dead: () => void,
): void {
  let pongDue: NodeJS.Timeout | undefined;
  const ping = setInterval(() => {
    if (pongDue !== undefined || ws.readyState !== ws.OPEN) return;
    ws.ping();
    pongDue = setTimeout(dead, limits.pongTimeoutMs);
    pongDue.unref();
  }, limits.pingIntervalMs);
  ping.unref();
  ws.on('pong', () => {
    clearTimeout(pongDue);
    pongDue = undefined;
  });
  ws.once('close', () => {
    clearInterval(ping);
    clearTimeout(pongDue);
  });
}

/**
 * Sends a close frame and drops the TCP connection if the closing handshake has not finished
 * `CLOSE_GRACE_MS` later, so a peer that does not read cannot keep the socket (and what is queued
 * for it) for the `ws` library's own 30-second close timeout.
 */
export function closeSoon(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === ws.CLOSED) return;
  ws.close(code, reason);
  const drop = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
  drop.unref();
  ws.once('close', () => clearTimeout(drop));
}
