/**
 * A local control socket, `<data-dir>/admin.sock` (mode 0600: only the server's own user), so that
 * `convene operator add` works while the server runs (the embedded database admits one process). One
 * JSON request per line, one JSON answer per line. It is never reachable over the network.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import type { OperatorService } from '../app/cases/OperatorService.js';
import { ConveneError } from '../errors.js';

export const adminSocketPath = (dataDir: string) => path.join(dataDir, 'admin.sock');

export type AdminRequest =
  | { cmd: 'operator.add'; email: string; displayName: string; role: 'intake' | 'reviewer' | 'admin' }
  | { cmd: 'operator.list' };

export async function listenAdminSocket(
  dataDir: string,
  operators: OperatorService,
  log: Logger,
): Promise<{ close(): Promise<void> }> {
  const file = adminSocketPath(dataDir);
  fs.rmSync(file, { force: true }); // a socket file left by a killed server
  const server = net.createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > 64 * 1024) socket.destroy();
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      const line = buffer.slice(0, nl);
      buffer = '';
      void answer(line).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
    socket.on('error', () => undefined);
  });
  const answer = async (line: string): Promise<unknown> => {
    try {
      const req = JSON.parse(line) as AdminRequest;
      if (req.cmd === 'operator.add') {
        const added = await operators.add(req, { kind: 'system' });
        return { ok: true, operator: added.operator, enrolmentUrl: added.enrolmentUrl, token: added.token };
      }
      if (req.cmd === 'operator.list') return { ok: true, operators: await operators.list() };
      return { ok: false, code: 'bad_request', message: 'Unknown command.' };
    } catch (err) {
      const e = ConveneError.from(err);
      if (e.code === 'internal') log.error({ err }, 'admin socket request failed');
      return { ok: false, code: e.code, message: e.message };
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => resolve());
  });
  fs.chmodSync(file, 0o600);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        fs.rmSync(file, { force: true });
      }),
  };
}

/** Sends one request to a running server; undefined when no server listens there. */
export function askAdminSocket(
  dataDir: string,
  request: AdminRequest,
): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(adminSocketPath(dataDir));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('end', () => {
      try {
        resolve(JSON.parse(data) as Record<string, unknown>);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') resolve(undefined);
      else reject(err);
    });
  });
}
