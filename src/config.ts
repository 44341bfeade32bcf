/**
 * Configuration: one schema, defaults in one place, read from environment variables and command-line
 * flags, validated once at start-up and then frozen. Flags win over environment variables.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import path from 'node:path';
import { parseVerifierKey } from './ledger/keys.js';

const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
);

export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    host: Type.String({ minLength: 1, default: '127.0.0.1' }),
    dataDir: Type.String({ minLength: 1, default: 'data' }),
    /** The address people open, e.g. https://meet.example.org; WebSocket Origins must match it. */
    publicUrl: Type.Optional(Type.String({ pattern: '^https?://[^/]+$' })),
    logLevel: Type.Union(LogLevel.anyOf, { default: 'info' }),
    /** A PostgreSQL server (postgres://…); when unset, an embedded PGlite database in <dataDir>/db. */
    databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    /** How long a participant's seat is kept after its WebSocket drops, for resume. */
    resumeWindowMs: Type.Integer({ minimum: 0, maximum: 600_000, default: 20_000 }),
    maxParticipantsPerMeeting: Type.Integer({ minimum: 2, maximum: 5000, default: 500 }),
    /** People waiting in one meeting's lobby at once; the next gets `lobby_full`. */
    maxLobbySize: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
    /** Signaling sockets open at once from one client key (one address, or one IPv6 /64). */
    maxSocketsPerClient: Type.Integer({ minimum: 1, maximum: 100_000, default: 100 }),
    /** Seats and lobby waits (detached seats in their resume window included) of one client key. */
    maxSeatsPerClient: Type.Integer({ minimum: 1, maximum: 100_000, default: 50 }),
    /** A socket that has not joined (seat or lobby) this long after opening is closed (`join_timeout`). */
    joinTimeoutMs: Type.Integer({ minimum: 50, maximum: 600_000, default: 10_000 }),
    /** How often each signaling socket is sent a WebSocket ping. */
    pingIntervalMs: Type.Integer({ minimum: 50, maximum: 600_000, default: 20_000 }),
    /** A socket whose pong has not come this long after a ping is dropped (a dead peer). */
    pongTimeoutMs: Type.Integer({ minimum: 50, maximum: 600_000, default: 10_000 }),
    /** After a socket is closed for flooding (1008), its client key may open no socket for this long. */
    floodCooldownMs: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 10_000 }),
    /** Bytes queued for one socket beyond which it is shed as a slow consumer (`slow_consumer`). */
    maxBufferedBytes: Type.Integer({ minimum: 1024, maximum: 256 * 1024 * 1024, default: 1024 * 1024 }),
    /** The longest a withholding decision may last before it must be renewed (days). */
    maxRestrictionDays: Type.Integer({ minimum: 1, maximum: 3650, default: 90 }),
    /** How often expiries, delayed host notices and withholding counts are processed (ms). */
    caseClockMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 5_000 }),
    /** The tamper-evident operator log (docs/transparency.md). */
    log: Type.Object(
      {
        /** How often a new checkpoint is signed when the log grew (ms). */
        checkpointMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 1_000 }),
        /** Witnesses asked to cosign every checkpoint: their submission URL and verifier key. */
        witnesses: Type.Array(
          Type.Object({ url: Type.String({ pattern: '^https?://' }), key: Type.String() }),
          {
            default: [],
          },
        ),
      },
      { default: {} },
    ),
    janus: Type.Object(
      {
        /** Existing Janus WebSocket API URLs; when empty Convene starts and supervises its own Janus. */
        urls: Type.Array(Type.String({ pattern: '^wss?://' }), { default: [] }),
        apiSecret: Type.Optional(Type.String({ minLength: 1 })),
        adminKey: Type.Optional(Type.String({ minLength: 1 })),
        binary: Type.String({ default: '/usr/bin/janus' }),
        /** Interface address Janus uses for ICE (Janus ignores loopback); default: first non-internal IPv4. */
        mediaIp: Type.Optional(Type.String({ minLength: 2 })),
        rtpPortRange: Type.String({ pattern: '^\\d{1,5}-\\d{1,5}$', default: '20000-40000' }),
        /** Janus `event_loops`; default: the number of cores. */
        eventLoops: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
      },
      { default: {} },
    ),
    geo: Type.Object(
      {
        databasePath: Type.Optional(Type.String({ minLength: 1 })),
        overrides: Type.Array(Type.Object({ cidr: Type.String(), jurisdiction: Type.String() }), {
          default: [],
        }),
        trustedProxies: Type.Array(Type.String(), { default: [] }),
      },
      { default: {} },
    ),
  },
  { additionalProperties: false },
);
export type Config = Static<typeof ConfigSchema>;
/** What callers may pass: every field optional, nested objects partial. */
export type ConfigInput = Partial<Omit<Config, 'janus' | 'geo' | 'log'>> & {
  log?: Partial<Config['log']>;
  janus?: Partial<Config['janus']>;
  geo?: Partial<Config['geo']>;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** Reads CONVENE_* environment variables into a ConfigInput. */
export function configFromEnv(env: NodeJS.ProcessEnv): ConfigInput {
  const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  const overrides = list(env.CONVENE_GEO_OVERRIDES)?.map((entry) => {
    const [cidr = '', jurisdiction = ''] = entry.split('=');
    return { cidr: cidr.trim(), jurisdiction: jurisdiction.trim() };
  });
  // `<verifier key>@<url>`: a verifier key never contains '@'.
  const witnesses = list(env.CONVENE_WITNESSES)?.map((entry) => {
    const at = entry.indexOf('@');
    return { key: at < 0 ? entry : entry.slice(0, at), url: at < 0 ? '' : entry.slice(at + 1) };
  });
  return prune({
    port: num(env.CONVENE_PORT ?? env.PORT),
    host: env.CONVENE_HOST,
    dataDir: env.CONVENE_DATA_DIR,
    publicUrl: env.CONVENE_PUBLIC_URL,
    databaseUrl: env.DATABASE_URL ?? env.CONVENE_DATABASE_URL,
    logLevel: env.CONVENE_LOG_LEVEL as Config['logLevel'] | undefined,
    resumeWindowMs: num(env.CONVENE_RESUME_WINDOW_MS),
    maxParticipantsPerMeeting: num(env.CONVENE_MAX_PARTICIPANTS),
    maxLobbySize: num(env.CONVENE_MAX_LOBBY),
    maxSocketsPerClient: num(env.CONVENE_MAX_SOCKETS_PER_CLIENT),
    maxSeatsPerClient: num(env.CONVENE_MAX_SEATS_PER_CLIENT),
    joinTimeoutMs: num(env.CONVENE_JOIN_TIMEOUT_MS),
    pingIntervalMs: num(env.CONVENE_PING_INTERVAL_MS),
    pongTimeoutMs: num(env.CONVENE_PONG_TIMEOUT_MS),
    maxBufferedBytes: num(env.CONVENE_MAX_BUFFERED_BYTES),
    floodCooldownMs: num(env.CONVENE_FLOOD_COOLDOWN_MS),
    maxRestrictionDays: num(env.CONVENE_MAX_RESTRICTION_DAYS),
    caseClockMs: num(env.CONVENE_CASE_CLOCK_MS),
    log: prune({ checkpointMs: num(env.CONVENE_LOG_CHECKPOINT_MS), witnesses }),
    janus: prune({
      urls: list(env.CONVENE_JANUS_URLS),
      apiSecret: env.CONVENE_JANUS_API_SECRET,
      adminKey: env.CONVENE_JANUS_ADMIN_KEY,
      binary: env.CONVENE_JANUS_BINARY,
      mediaIp: env.CONVENE_MEDIA_IP,
      rtpPortRange: env.CONVENE_RTP_PORTS,
      eventLoops: num(env.CONVENE_JANUS_EVENT_LOOPS),
    }),
    geo: prune({
      databasePath: env.CONVENE_GEO_DB,
      overrides,
      trustedProxies: list(env.CONVENE_TRUSTED_PROXIES),
    }),
  });
}

function prune<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Merges the inputs (later wins), applies defaults, validates, resolves paths and freezes the result. */
export function loadConfig(...inputs: ConfigInput[]): Readonly<Config> {
  const merged: Record<string, unknown> = {};
  for (const input of inputs) {
    for (const [key, value] of Object.entries(input)) {
      const prev = merged[key];
      merged[key] =
        value && typeof value === 'object' && !Array.isArray(value) && prev && typeof prev === 'object'
          ? { ...prev, ...value }
          : value;
    }
  }
  // Defaults are filled into a private copy: inputs (possibly frozen) are never written to.
  const withDefaults = Value.Default(ConfigSchema, structuredClone(merged));
  if (!Value.Check(ConfigSchema, withDefaults)) {
    const problems = [...Value.Errors(ConfigSchema, withDefaults)]
      .slice(0, 5)
      .map((e) => `${e.path || '/'}: ${e.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const config = withDefaults as Config;
  const [lo = 0, hi = 0] = config.janus.rtpPortRange.split('-').map(Number);
  if (!(lo >= 1024 && hi <= 65535 && lo < hi))
    throw new ConfigError('janus.rtpPortRange must be a range within 1024-65535');
  config.dataDir = path.resolve(config.dataDir);
  for (const w of config.log.witnesses) {
    try {
      parseVerifierKey(w.key);
    } catch (err) {
      throw new ConfigError(`log.witnesses: "${w.key}" is not a verifier key (${(err as Error).message})`);
    }
  }
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
