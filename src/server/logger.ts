/**
 * The root logger. Whatever a log line carries at any level, it never carries a client address, a
 * cookie, a session or CSRF token, a host key, a password or a meeting ID (a capability): known fields
 * are redacted by pino, meeting IDs become a short one-way fingerprint (so lines about one meeting still
 * group together), and Fastify's client-error log (which carried the raw request bytes) is replaced by
 * `clientErrorHandler` below. On a terminal the lines are formatted for people; otherwise JSON lines.
 */
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { pino, type DestinationStream, type Logger } from 'pino';
import { humanLine } from './prettyLog.js';

/** Fields whose value is a secret or an address wherever they appear (two levels deep). */
const SECRET_KEYS = [
  'cookie',
  'set-cookie',
  'authorization',
  'x-forwarded-for',
  'x-real-ip',
  'forwarded',
  'x-csrf-token',
  'password',
  'passwordHash',
  'hostKey',
  'sessionToken',
  'csrfToken',
  'resumeToken',
  'token',
  'remoteAddress',
  'remoteAddr',
  'ip',
  'rawPacket',
];
const MEETING_KEYS = ['meeting', 'meetingId'];

const paths = (keys: string[]): string[] =>
  keys.flatMap((k) => {
    const p = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
    const join = (prefix: string) => (p.startsWith('[') ? `${prefix}${p}` : `${prefix}.${p}`);
    return [p, join('*'), join('*.*')];
  });

/** A stable, one-way stand-in for a meeting ID in logs. */
export const meetingFingerprint = (id: string): string =>
  `m#${createHash('sha256').update(id).digest('base64url').slice(0, 10)}`;

export interface LoggerOptions {
  level: string;
  /** Where lines go; default stdout. */
  destination?: DestinationStream;
  /** Human-readable lines instead of JSON; default: whether stdout is a terminal. */
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const meetingPaths = new Set(paths(MEETING_KEYS));
  const pretty = options.pretty ?? (options.destination === undefined && process.stdout.isTTY === true);
  const destination: DestinationStream =
    options.destination ??
    (pretty
      ? { write: (line: string) => void process.stdout.write(humanLine(line)) }
      : pino.destination({ fd: 1, sync: true }));
  return pino(
    {
      level: options.level,
      base: { service: 'convene' },
      redact: {
        paths: [...paths(SECRET_KEYS), ...meetingPaths],
        censor: (value: unknown, path: string[]) => {
          const key = path.at(-1) ?? '';
          if (MEETING_KEYS.includes(key) && typeof value === 'string') return meetingFingerprint(value);
          return '[redacted]';
        },
      },
    },
    destination,
  );
}

/**
 * Replaces Fastify's default client-error handler, which logged the raw request bytes (headers,
 * cookies and all) at trace level. Logs only the error code, then answers 400 and closes.
 */
export function clientErrorHandler(log: Logger) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    log.debug({ code: err.code ?? 'unknown' }, 'client error');
    if (socket.writable) {
      const body = JSON.stringify({ error: { code: 'bad_request', message: 'Bad request.' } });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    } else {
      socket.destroy(err);
    }
  };
}
