/**
 * The signaling transport: WebSocket upgrade at /ws, Origin check, jurisdiction of the connection (via
 * geo/, which alone sees the address), then one SignalingConnection per socket.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MeetingService } from '../app/MeetingService.js';
import { MAX_MESSAGE_BYTES } from '../protocol/messages.js';
import { SignalingConnection } from './SignalingConnection.js';

export interface SignalingOptions {
  service: MeetingService;
  /** Jurisdiction code of a connection; the only place the address goes. */
  locate: (req: IncomingMessage) => string;
  /** Whether a browser Origin may open a signaling socket. */
  originAllowed: (origin: string, req: IncomingMessage) => boolean;
  resumeWindowMs: number;
  logger: Logger;
}

export class SignalingServer {
  readonly #wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  readonly #connections = new Set<SignalingConnection>();
  readonly #options: SignalingOptions;

  constructor(server: Server, options: SignalingOptions) {
    this.#options = options;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#onUpgrade(req, socket, head),
    );
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const origin = req.headers.origin;
    const originOk = origin === undefined || this.#options.originAllowed(origin, req);
    const jurisdiction = this.#options.locate(req);
    this.#wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const connection = new SignalingConnection(ws, jurisdiction, this.#options);
      if (!originOk) {
        connection.refuse('bad_origin');
        return;
      }
      this.#connections.add(connection);
      ws.once('close', () => this.#connections.delete(connection));
    });
  }

  close(): void {
    for (const c of this.#connections) c.close(1001, 'server shutting down');
    this.#wss.close();
  }
}
