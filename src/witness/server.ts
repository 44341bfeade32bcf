/**
 * The witness over HTTP (node:http): `POST /add-checkpoint` and the monitor endpoint
 * `GET /<sha256(origin) hex>/checkpoint`. Everything else is the pure Witness in src/ledger.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_REQUEST_BYTES, type Witness } from '../ledger/index.js';

export interface WitnessServer {
  readonly url: string;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Reads the body up to the limit; undefined when it is larger (the caller answers 413). */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    total += b.length;
    if (total > MAX_REQUEST_BYTES) return undefined;
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

async function handle(witness: Witness, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://witness').pathname;
  if (path === '/add-checkpoint') {
    if (req.method !== 'POST') return send(res, 405, 'use POST\n');
    const body = await readBody(req);
    if (!body) {
      res.setHeader('connection', 'close');
      return send(res, 413, 'request too large\n');
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return send(res, 400, 'request is not UTF-8\n');
    }
    const r = await witness.addCheckpoint(text);
    return send(res, r.status, r.body, r.contentType);
  }
  const m = /^\/([0-9a-f]{64})\/checkpoint$/.exec(path);
  if (m && (req.method === 'GET' || req.method === 'HEAD')) {
    const note = await witness.latest(m[1]!);
    if (note === undefined) return send(res, 404, 'no checkpoint cosigned for this log\n');
    res.setHeader('cache-control', 'no-store');
    return send(res, 200, note);
  }
  send(res, 404, 'not found\n');
}

export async function startWitnessServer(opts: {
  witness: Witness;
  port: number;
  host?: string;
}): Promise<WitnessServer> {
  const server = createServer((req, res) => {
    handle(opts.witness, req, res).catch(() => {
      // A storage failure must not produce a cosignature; report it without detail.
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
