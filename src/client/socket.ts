/** The WebSocket surface the signaling client needs, and parsing of server frames. */
import type { ServerMessage } from '../protocol/messages.js';

export const OPEN = 1;

/** The part of the WebSocket API this client uses (the browser's WebSocket, or `ws` in Node). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: never) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: never) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export function defaultSignalingUrl(): string {
  const { protocol, host } = globalThis.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws`;
}

/** Parses one text frame from the server; null when it is not a protocol message. */
export function parseServerFrame(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== 'object' || value === null) return null;
    if (typeof (value as { type?: unknown }).type !== 'string') return null;
    return value as ServerMessage;
  } catch {
    return null;
  }
}
