/**
 * The signaling transport: WebSocket upgrade at /ws, Origin check, jurisdiction of the connection (via
 * geo/, which alone sees the address), the cap on sockets per client key, then one SignalingConnection
 * per socket.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MlsService } from '../app/e2ee/MlsService.js';
import type { MeetingService } from '../app/MeetingService.js';
import type { Identity } from '../app/Participant.js';
import { ERROR_CODES } from '../errors.js';
import { MAX_MLS_COMMIT_BYTES } from '../protocol/messages.js';
import { KeyedQuota } from '../util/KeyedQuota.js';
import { SignalingConnection, type ConnectionContext } from './SignalingConnection.js';
import type { SocketLimits } from './socketGuards.js';

export interface SignalingOptions {
  service: MeetingService;
  /** The MLS delivery services (issue 8): `mlsKeyPackage`, `mlsCommit` and `mlsMessage` go there. */
  mls: MlsService;
  /**
   * Who and where a connection is: jurisdiction code and rate-limit key from geo/ (the only place the
   * address goes), the account of its session cookie, its guest key; plus a Set-Cookie value when a
   * new guest key was issued.
   */
  identify: (
    req: IncomingMessage,
  ) => Promise<{ jurisdiction: string; identity: Identity; setCookie?: string }>;
  /** Whether the Host header names this server (hosts.ts); checked before anything else. */
  hostAllowed: (host: string | undefined) => boolean;
  /** Whether a browser Origin may open a signaling socket. */
  originAllowed: (origin: string, req: IncomingMessage) => boolean;
  resumeWindowMs: number;
  limits: SocketLimits;
  /** Sockets open at once per client key (identity.clientKey, from geo/). */
  maxSocketsPerClient: number;
  /** After a socket is closed for flooding, its client key may open no socket for this long. */
  floodCooldownMs: number;
  logger: Logger;
}

export class SignalingServer {
  readonly #wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MLS_COMMIT_BYTES,
    perMessageDeflate: false,
  });
  readonly #connections = new Set<SignalingConnection>();
  /** Set-Cookie headers to add to upgrade responses (a new guest key). */
  readonly #cookies = new WeakMap<IncomingMessage, string>();
  readonly #options: SignalingOptions;
  readonly #context: ConnectionContext;
  readonly #socketsPerClient: KeyedQuota;
  /** Client keys closed for flooding, and until when they may open no socket. */
  readonly #cooling = new Map<string, number>();

  constructor(server: Server, options: SignalingOptions) {
    this.#options = options;
    this.#context = { ...options, flooded: (clientKey) => this.#flooded(clientKey) };
    this.#socketsPerClient = new KeyedQuota(options.maxSocketsPerClient);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.#onUpgrade(req, socket, head).catch((err: unknown) => {
        options.logger.error({ err }, 'websocket upgrade failed');
        socket.destroy();
      });
    });
    // A browser seen for the first time gets its guest key as a cookie on the upgrade response.
    this.#wss.on('headers', (headers: string[], req: IncomingMessage) => {
      const cookie = this.#cookies.get(req);
      if (cookie) headers.push(`Set-Cookie: ${cookie}`);
    });
  }

  #flooded(clientKey: string): void {
    const now = Date.now();
    if (this.#cooling.size > 10_000) {
      for (const [key, until] of this.#cooling) if (until <= now) this.#cooling.delete(key);
    }
    this.#cooling.set(clientKey, now + this.#options.floodCooldownMs);
  }

  #coolingDown(clientKey: string): boolean {
    const until = this.#cooling.get(clientKey);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.#cooling.delete(clientKey);
    return false;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  async #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (!this.#options.hostAllowed(req.headers.host)) {
      const body = JSON.stringify({ error: { code: 'bad_host', message: ERROR_CODES.bad_host.message } });
      socket.end(
        `HTTP/1.1 421 Misdirected Request\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    const origin = req.headers.origin;
    const originOk = origin === undefined || this.#options.originAllowed(origin, req);
    const { jurisdiction, identity, setCookie } = await this.#options.identify(req);
    if (setCookie) this.#cookies.set(req, setCookie);
    this.#wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const connection = new SignalingConnection(ws, jurisdiction, identity, this.#context);
      if (!originOk) {
        connection.refuse('bad_origin');
        return;
      }
      if (this.#coolingDown(identity.clientKey)) {
        // Reconnecting at once would give a flooder a fresh burst and a fresh seat each time.
        connection.refuse('rate_limited');
        return;
      }
      // Counted only once open: a refused socket is dropped within a second (closeSoon).
      const release = this.#socketsPerClient.acquire(identity.clientKey);
      if (!release) {
        connection.refuse('too_many_connections');
        return;
      }
      this.#connections.add(connection);
      ws.once('close', () => {
        release();
        this.#connections.delete(connection);
      });
    });
  }

  close(): void {
    for (const c of this.#connections) c.close(1001, 'server shutting down');
    this.#wss.close();
  }
}
