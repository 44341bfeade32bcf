/**
 * Composition root: validates the configuration, starts the media engine (its own Janus unless given
 * nodes), opens the geo database, and wires the HTTP and signaling transports to the meeting service.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { AccountService } from '../app/AccountService.js';
import { CaseClock } from '../app/cases/CaseClock.js';
import { LogPublisher } from '../app/transparency/LogPublisher.js';
import { defaultOrigin, loadOrCreateLogKey } from '../app/transparency/logKey.js';
import { CaseService } from '../app/cases/CaseService.js';
import type { MlsTimings } from '../app/e2ee/MeetingMls.js';
import { MlsService } from '../app/e2ee/MlsService.js';
import { OperatorService } from '../app/cases/OperatorService.js';
import { InProcessBus } from '../bus/InProcessBus.js';
import type { Bus } from '../bus/types.js';
import { newSecretToken } from '../app/ids.js';
import { MeetingService } from '../app/MeetingService.js';
import type { Config } from '../config.js';
import { GeoLocator } from '../geo/index.js';
import { JanusEngine } from '../media/janus/JanusEngine.js';
import type { MediaEngine } from '../media/types.js';
import { openStore } from '../store/Store.js';
import type { Store } from '../store/types.js';
import { parseCookies } from '../util/cookies.js';
import { listenAdminSocket } from './adminSocket.js';
import { allowedHosts, hostChecker } from './hosts.js';
import { buildHttp } from './http.js';
import { createLogger } from './logger.js';
import { GUEST_COOKIE, SESSION_COOKIE, Sessions, hostKeysFromCookies } from './routes/session.js';
import { SignalingServer } from './signaling.js';

export interface ConveneServer {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly config: Readonly<Config>;
  readonly service: MeetingService;
  /** The MLS delivery services of live meetings and this node's external-sender key. */
  readonly mls: MlsService;
  readonly engine: MediaEngine;
  /** The Janus engine, unless another engine was injected (benchmarks over the in-memory engine). */
  readonly janus: JanusEngine | undefined;
  readonly store: Store;
  readonly bus: Bus;
  readonly operators: OperatorService;
  readonly cases: CaseService;
  /** The tamper-evident operator log: signs checkpoints and collects witness cosignatures. */
  readonly log: LogPublisher;
  /** The supervised Janus's process id, when Convene runs its own. */
  janusPid(): number | undefined;
  close(): Promise<void>;
}

/** dist/web of the package, found from this module whether it runs from src/ or compiled dist/server/. */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
const WEB_ROOT = path.join(packageRoot(), 'dist/web');

/**
 * Starts Convene with a configuration already validated and frozen by `loadConfig` at the edge (the
 * CLI, a test, a benchmark). It is never parsed a second time here.
 */
export async function startConvene(
  config: Readonly<Config>,
  options: {
    logger?: Logger;
    webRoot?: string;
    /**
     * A media engine to use instead of Janus: for benchmarks and app-layer tests whose subject is not
     * media (the typed in-memory engine). Production always runs Janus.
     */
    engine?: MediaEngine;
    /** MLS batching window and committer deadline (tests shorten them). */
    mlsTimings?: Partial<MlsTimings>;
  } = {},
): Promise<ConveneServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const geo = await GeoLocator.open(config.geo);
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    logger: logger.child({ subsystem: 'store' }),
  });
  const janus = options.engine
    ? undefined
    : await JanusEngine.start({
        ...config.janus,
        dataDir: config.dataDir,
        maxPublishersPerRoom: config.maxParticipantsPerMeeting,
        logger: logger.child({ subsystem: 'media' }),
      });
  const engine: MediaEngine = options.engine ?? (janus as JanusEngine);
  const bus: Bus = new InProcessBus(logger.child({ subsystem: 'bus' }));
  // The clock counts withholding removals for the meeting service, which it needs in turn for live
  // counts and host notices: break the cycle with a forwarder.
  let clock: CaseClock | undefined;
  // The MLS external-sender key lives as long as this process (docs/e2ee.md: not kept across restarts).
  const mls = await MlsService.start({
    logger: logger.child({ subsystem: 'mls' }),
    ...(options.mlsTimings ? { timings: options.mlsTimings } : {}),
  });
  const service = new MeetingService({
    onLive: (meeting) => mls.attach(meeting),
    withholdingCounts: { add: (ref, kind, n) => clock?.add(ref, kind, n) },
    engine,
    store,
    bus,
    logger: logger.child({ subsystem: 'meetings' }),
    resumeWindowMs: config.resumeWindowMs,
    maxParticipantsPerMeeting: config.maxParticipantsPerMeeting,
    maxLobbySize: config.maxLobbySize,
    maxSeatsPerClient: config.maxSeatsPerClient,
  });
  const accounts = new AccountService(store);
  const secureCookies = config.publicUrl?.startsWith('https://') ?? false;
  let boundUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const operators = new OperatorService(store, () => config.publicUrl ?? boundUrl);
  const cases = new CaseService(store, bus, service, config.maxRestrictionDays);
  clock = new CaseClock(store, bus, service, logger.child({ subsystem: 'cases' }), config.caseClockMs);
  // Restrictions survive a restart; expiries that fell while the server was down are applied first.
  service.loadRestrictions(await clock.start());
  const { key: logKey, created: logKeyCreated } = await loadOrCreateLogKey(
    config.dataDir,
    defaultOrigin(config.publicUrl),
  );
  const log = new LogPublisher(
    store,
    logKey,
    config.log.witnesses,
    logger.child({ subsystem: 'log' }),
    config.log.checkpointMs,
  );
  await log.start();
  logger.info(
    { origin: log.origin, key: log.verifierKey, created: logKeyCreated },
    'operator log published at /log/ (verifier key at /log/key)',
  );
  const sessions = new Sessions(accounts, secureCookies);
  const hostAllowed = hostChecker(allowedHosts({ publicUrl: config.publicUrl, bindHost: config.host }));
  /** A request's jurisdiction and identity (cookies), for the signaling upgrade and the pre-join preview. */
  const identify = async (req: IncomingMessage) => {
    const { jurisdiction, clientKey } = geo.identifyConnection(
      req.socket.remoteAddress,
      req.headers['x-forwarded-for'],
    );
    const cookies = parseCookies(req.headers.cookie);
    const session = await accounts.session(cookies.get(SESSION_COOKIE));
    const known = cookies.get(GUEST_COOKIE);
    const guestKey = known && /^[A-Za-z0-9_-]{22,64}$/.test(known) ? known : newSecretToken(18);
    return {
      jurisdiction,
      identity: {
        accountId: session?.account.id,
        guestKey,
        clientKey,
        hostKeys: hostKeysFromCookies(cookies),
      },
      ...(guestKey === known ? {} : { setCookie: sessions.guestCookie(guestKey) }),
    };
  };
  const app = buildHttp({
    hostAllowed,
    service,
    accounts,
    operators,
    cases,
    log,
    ledger: store.ledger,
    sessions,
    secureCookies,
    clientKey: (req) =>
      geo.identifyConnection(req.socket.remoteAddress, req.headers['x-forwarded-for']).clientKey,
    identify,
    logger,
    webRoot: options.webRoot ?? WEB_ROOT,
    publicUrl: config.publicUrl,
    ready: () => engine.ready,
  });
  const publicOrigin = config.publicUrl ? new URL(config.publicUrl).origin : undefined;
  const signaling = new SignalingServer(app.server, {
    service,
    mls,
    hostAllowed,
    identify,
    originAllowed: (origin, req) => {
      if (publicOrigin) return origin === publicOrigin;
      // Without a configured public URL, a browser may connect only from the page this server served
      // (the Host itself was checked against the allowlist first, so a rebound name never gets here).
      try {
        return new URL(origin).host === req.headers.host && hostAllowed(req.headers.host);
      } catch {
        return false;
      }
    },
    resumeWindowMs: config.resumeWindowMs,
    limits: config,
    maxSocketsPerClient: config.maxSocketsPerClient,
    floodCooldownMs: config.floodCooldownMs,
    logger: logger.child({ subsystem: 'signaling' }),
  });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await log.close();
    await clock.close();
    await engine.close();
    await store.close();
    throw err;
  }
  const admin = await listenAdminSocket(config.dataDir, operators, logger.child({ subsystem: 'admin' }));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  boundUrl = url;
  let closing: Promise<void> | undefined;
  return {
    url,
    config,
    service,
    mls,
    engine,
    store,
    bus,
    operators,
    cases,
    log,
    janus,
    janusPid: () => janus?.janusPid,
    close: () =>
      (closing ??= (async () => {
        signaling.close();
        await admin.close();
        await service.closeAll();
        await app.close();
        await clock?.close();
        await log.checkpointNow().catch(() => undefined);
        await log.close();
        await bus.close();
        await engine.close();
        await store.close();
      })()),
  };
}
