/** The HTTP app in-process (Fastify inject) over a real PGlite store, with no media: for API tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { AccountService } from '../../src/app/AccountService.js';
import { CaseService } from '../../src/app/cases/CaseService.js';
import { OperatorService } from '../../src/app/cases/OperatorService.js';
import { LogPublisher } from '../../src/app/transparency/LogPublisher.js';
import { generateSignerKey } from '../../src/ledger/index.js';
import { MeetingService } from '../../src/app/MeetingService.js';
import { InProcessBus } from '../../src/bus/InProcessBus.js';
import type { MediaEngine } from '../../src/media/types.js';
import { allowedHosts, hostChecker } from '../../src/server/hosts.js';
import { buildHttp } from '../../src/server/http.js';
import { Sessions } from '../../src/server/routes/session.js';
import { openStore } from '../../src/store/Store.js';
import type { Store } from '../../src/store/types.js';

// These routes never touch media; an engine that refuses everything proves it.
const noMedia = {
  closed: false,
  ready: false,
  createRoom: () => Promise.reject(new Error('no media in this test')),
} as unknown as MediaEngine;

export interface ApiApp {
  app: FastifyInstance;
  store: Store;
  /** The operator service (what `convene operator add` reaches), to add operators in a test. */
  operators: OperatorService;
  webRoot: string;
  /** What /readyz reports. */
  ready: boolean;
  close(): Promise<void>;
}

export async function openApiApp(): Promise<ApiApp> {
  const logger = pino({ level: 'silent' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'convene-api-'));
  const webRoot = path.join(dir, 'web');
  const store = await openStore({ dataDir: dir, logger });
  const bus = new InProcessBus(logger);
  const service = new MeetingService({
    engine: noMedia,
    store,
    bus,
    logger,
    resumeWindowMs: 1000,
    maxParticipantsPerMeeting: 10,
    maxLobbySize: 10,
    maxSeatsPerClient: 10,
  });
  const accounts = new AccountService(store);
  const operators = new OperatorService(store, () => 'http://localhost');
  mkdirSync(webRoot);
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Convene</title>');
  const state: ApiApp = {
    app: undefined as unknown as FastifyInstance,
    store,
    operators,
    webRoot,
    ready: false,
    async close() {
      await state.app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  state.app = buildHttp({
    service,
    accounts,
    operators,
    cases: new CaseService(store, bus, service, 90),
    log: new LogPublisher(store, generateSignerKey('localhost/log'), [], logger, 60_000),
    ledger: store.ledger,
    secureCookies: false,
    sessions: new Sessions(accounts, false),
    // Stands in for geo's per-client key, so a test can act as a separate client.
    clientKey: (req) => String(req.headers['x-test-client'] ?? 'test-client'),
    // Stands in for geo and the cookies: a test names its jurisdiction and guest key in headers.
    identify: async (req) => ({
      jurisdiction: String(req.headers['x-test-jurisdiction'] ?? 'ZZ'),
      identity: {
        accountId: undefined,
        guestKey: String(req.headers['x-test-guest'] ?? 'test-guest-key-0123456789'),
        clientKey: String(req.headers['x-test-client'] ?? 'test-client'),
      },
    }),
    logger,
    webRoot,
    publicUrl: undefined,
    hostAllowed: hostChecker(allowedHosts({ publicUrl: undefined, bindHost: '127.0.0.1' })),
    ready: () => state.ready,
  });
  return state;
}

export const errorCode = (res: LightMyRequestResponse) => res.json<{ error: { code: string } }>().error.code;
