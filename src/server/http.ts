/**
 * The HTTP transport: health and readiness, the small JSON API, and the built web app with an SPA
 * fallback for meeting links. Request logs never carry client addresses or meeting IDs.
 */
import fastifyStatic from '@fastify/static';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { AccountService } from '../app/AccountService.js';
import type { CaseService } from '../app/cases/CaseService.js';
import type { OperatorService } from '../app/cases/OperatorService.js';
import type { MeetingService } from '../app/MeetingService.js';
import { ConveneError } from '../errors.js';
import { clientErrorHandler } from './logger.js';
import { accountRoutes } from './routes/accounts.js';
import { banRoutes } from './routes/bans.js';
import { meetingRoutes, type Viewer } from './routes/meetings.js';
import { noticeRoutes } from './routes/notices.js';
import type { LogPublisher } from '../app/transparency/LogPublisher.js';
import type { LedgerRepo } from '../store/ledgerTypes.js';
import { logRoutes } from './routes/log.js';
import { operatorRoutes } from './routes/operator.js';
import type { Sessions } from './routes/session.js';
import { transparencyRoutes } from './routes/transparency.js';

export interface HttpOptions {
  service: MeetingService;
  accounts: AccountService;
  operators: OperatorService;
  cases: CaseService;
  log: LogPublisher;
  ledger: LedgerRepo;
  sessions: Sessions;
  secureCookies: boolean;
  /** Rate-limit key of a request's client, from geo/ (never the address itself). */
  clientKey: (req: FastifyRequest) => string;
  /** Jurisdiction and identity of a request, as the signaling upgrade gets them (for the pre-join preview). */
  identify: Viewer;
  logger: Logger;
  webRoot: string;
  publicUrl: string | undefined;
  /** Whether a Host header names this server (hosts.ts): the DNS-rebinding defence. */
  hostAllowed: (host: string | undefined) => boolean;
  ready: () => boolean;
}

/**
 * No inline script, no eval, nothing from another origin; media from the page's own streams. `'self'`
 * covers the same-origin WebSocket. `frame-ancestors 'none'` (and X-Frame-Options for older
 * browsers) stops other sites from framing the app to trick clicks on its controls.
 * `'wasm-unsafe-eval'` lets the page compile WebAssembly (background blur's segmentation runtime,
 * served from /blur/ on this origin); it allows no JavaScript eval, unlike `'unsafe-eval'`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Meeting IDs are capabilities: keep them out of logs. */
export const redactPath = (url: string): string => url.replace(/\/m\/[^/?#]+/, '/m/:id').replace(/\?.*$/, '');

export function buildHttp(options: HttpOptions): FastifyInstance {
  const log = options.logger.child({ subsystem: 'http' });
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Fastify's own handler logged the raw request bytes (cookies, X-Forwarded-For) at trace level.
    clientErrorHandler: clientErrorHandler(log),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // Bad input is refused, never repaired: no type coercion, no silent removal of unknown fields.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });

  app.addHook('onRequest', (req, _reply, done) => {
    done(options.hostAllowed(req.headers.host) ? undefined : new ConveneError('bad_host'));
  });

  // PostgreSQL text cannot hold U+0000: refuse it anywhere in a request's body, path or query string
  // with a typed error, rather than fail at the database with a 500 (found by bench:fuzz).
  app.addHook('preValidation', (req, _reply, done) => {
    const nul = containsNul(req.body) || containsNul(req.params) || containsNul(req.query);
    done(
      nul ? new ConveneError('bad_request', 'Text may not contain the NUL character (U+0000).') : undefined,
    );
  });

  app.addHook('onResponse', (req, reply, done) => {
    req.log.debug({ method: req.method, path: redactPath(req.url), status: reply.statusCode }, 'request');
    done();
  });

  app.addHook('onSend', (_req, reply, payload, done) => {
    // Meeting links are secrets: never leak them through the Referer header.
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Permissions-Policy', 'camera=(self), microphone=(self), display-capture=(self)');
    done(null, payload);
  });

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof ConveneError) {
      return reply.status(err.httpStatus).send({
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      });
    }
    const e = err as { validation?: unknown; statusCode?: number; message?: string };
    if (e.validation || e.statusCode === 400) {
      return reply.status(400).send({ error: { code: 'bad_request', message: e.message ?? 'Bad request' } });
    }
    if (e.statusCode === 413) {
      return reply
        .status(413)
        .send({ error: { code: 'message_too_big', message: 'Request body too large.' } });
    }
    if (e.statusCode && e.statusCode < 500) {
      return reply.status(e.statusCode).send({ error: { code: 'bad_request', message: e.message ?? '' } });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: 'Internal error.' } });
  });

  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', (_req, reply) =>
    options.ready() ? { status: 'ready' } : reply.status(503).send({ status: 'media unavailable' }),
  );

  accountRoutes(app, {
    accounts: options.accounts,
    sessions: options.sessions,
    clientKey: options.clientKey,
  });
  meetingRoutes(app, {
    service: options.service,
    sessions: options.sessions,
    baseUrl: (req) => baseUrl(req, options.publicUrl),
    clientKey: options.clientKey,
    identify: options.identify,
  });
  banRoutes(app, { service: options.service, sessions: options.sessions });

  operatorRoutes(app, {
    operators: options.operators,
    cases: options.cases,
    clientKey: options.clientKey,
    secureCookies: options.secureCookies,
  });
  noticeRoutes(app, { cases: options.cases, meetings: options.service, sessions: options.sessions });
  logRoutes(app, { log: options.log, ledger: options.ledger });
  transparencyRoutes(app, { cases: options.cases });

  app.all('/api/*', () => {
    throw new ConveneError('not_found');
  });

  if (existsSync(options.webRoot)) {
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
    app.register(fastifyStatic, { root: options.webRoot, wildcard: true, index: 'index.html' });
    app.get('/m/:id', (_req, reply) => reply.sendFile('index.html'));
    app.setNotFoundHandler((req, reply) => {
      // App routes fall back to the app; a missing file (a path with an extension) is a plain 404.
      const route = redactPath(req.url);
      if (req.method === 'GET' && !route.startsWith('/api/') && !/\.[A-Za-z0-9]+$/.test(route)) {
        return reply.sendFile('index.html');
      }
      return reply.status(404).send({ error: { code: 'not_found', message: 'Not found.' } });
    });
  } else {
    app.get('/', (_req, reply) =>
      reply
        .type('text/plain')
        .send('The web app is not built. Run "npm run build" (npm start does this for you).\n'),
    );
  }
  return app;
}

function baseUrl(req: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  return `http://${req.headers.host ?? 'localhost'}`;
}

/** Whether any string (value or key) in a parsed JSON value contains U+0000; iterative, any depth. */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}
