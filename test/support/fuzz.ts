/**
 * The fault suite's fuzzing (issue 9): generators of hostile signaling frames and HTTP JSON bodies,
 * and the properties every input must keep. Shared by test/integration/fuzz.test.ts (a few thousand
 * inputs) and bench/fuzz.ts (a million and more).
 * - Signaling: `parseClientMessage` returns a message that matches its schema, or throws a
 *   ConveneError with a registered code; nothing else (no TypeError, no hang).
 * - HTTP: every answer is below 500; every 4xx carries `{error: {code}}` with a registered code; and
 *   a 4xx changed nothing stored (the store's digest of every table is equal before and after).
 */
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { ConveneError, ERROR_CODES } from '../../src/errors.js';
import { ClientMessageSchemas, type ClientMessageType } from '../../src/protocol/messages.js';
import { parseClientMessage } from '../../src/protocol/parse.js';
import type { Store } from '../../src/store/types.js';

type Json = Record<string, unknown>;
const ID22 = 'AbCdEfGhIjKlMnOpQrStUv';

/** One valid message of every client type: the seeds that mutations start from. */
export const FRAME_SEEDS: Record<ClientMessageType, Json> = {
  join: { meetingId: ID22, displayName: 'Ann', passcode: 'pw', hostKey: 'k', resume: 'r' },
  publish: { jsep: { type: 'offer', sdp: 'v=0' }, tracks: [{ mid: '0', source: 'mic' }] },
  subscribeAnswer: { jsep: { type: 'answer', sdp: 'v=0' } },
  mediaState: { audioMuted: true, videoMuted: false, screenSharing: false },
  leave: {},
  raiseHand: { raised: true },
  admit: { participantIds: ['abc'] },
  deny: { all: true },
  remove: { participantId: 'abc', ban: true },
  mute: { participantIds: ['abc', 'def'] },
  askUnmute: { participantId: 'abc' },
  lowerHand: { all: true },
  lock: { locked: true },
  endMeeting: {},
  setRole: { participantId: 'abc', role: 'cohost' },
  react: { reaction: 'heart' },
  spotlight: { participantId: 'abc' },
  handOver: { participantId: 'abc' },
  mlsKeyPackage: { keyPackage: 'AAEC' },
  mlsCommit: {
    commit: 'AAEC',
    welcome: 'AAEC',
    added: [{ participantId: 'abc', leafIndex: 1 }],
    removed: [],
  },
  mlsMessage: { message: 'AAEC' },
  mlsRejoin: { keyPackage: 'AAEC' },
};

const key = fc.oneof(
  fc.constantFrom('v', 'type', 'rid', 'jsep', 'sdp', 'e2ee', '__proto__', 'constructor', 'all', 'role'),
  fc.string({ maxLength: 12 }),
);
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(
    '\u0000',
    '\uD800',
    '\u202E',
    '\u200B',
    ' ',
    '',
    'x'.repeat(70_000),
    -0,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    null,
    [],
    {},
    true,
  ),
);

/** A random edit of a JSON value at a random depth: set or add a field, delete one, replace it. */
function mutate(value: unknown): fc.Arbitrary<unknown> {
  if (typeof value !== 'object' || value === null) return nasty;
  const entries = Object.entries(value);
  const options: fc.Arbitrary<unknown>[] = [
    nasty,
    fc.tuple(key, nasty).map(([k, v]) => ({ ...value, [k]: v })),
  ];
  if (entries.length > 0) {
    options.push(
      fc.constantFrom(...entries.map(([k]) => k)).map((k) => {
        const copy: Json = { ...(value as Json) };
        delete copy[k];
        return Array.isArray(value) ? Object.values(copy) : copy;
      }),
      fc
        .constantFrom(...entries)
        .chain(([k, v]) =>
          mutate(v).map((m) =>
            Array.isArray(value) ? Object.assign([...value], { [k]: m }) : { ...value, [k]: m },
          ),
        ),
    );
  }
  return fc.oneof(...options);
}

/** Text edits of a serialized value: cut short, a byte inserted, a byte replaced. */
const textEdit = (text: string) =>
  fc
    .tuple(
      fc.nat({ max: text.length }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
      fc.boolean(),
    )
    .map(([at, s, cut]) => (cut ? text.slice(0, at) : text.slice(0, at) + s + text.slice(at + 1)));

/** A JSON body near `seed`: mostly one or two mutations deep, sometimes text edits or garbage. */
export function bodyNear(seed: Json): fc.Arbitrary<string> {
  const once = mutate(seed);
  return fc.oneof(
    { weight: 4, arbitrary: once.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 2, arbitrary: once.chain(mutate).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: textEdit(JSON.stringify(seed)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  );
}

/** Hostile signaling frames: mutations of every message type, plus protocol-level garbage. */
export const frames: fc.Arbitrary<string> = fc.oneof(
  ...Object.entries(FRAME_SEEDS).map(([type, body]) => bodyNear({ v: 1, type, rid: 'r1', ...body })),
);

/** Parses one frame and checks the property; returns the outcome ('accepted' or an error code). */
export function checkFrame(raw: string): string {
  let message;
  try {
    message = parseClientMessage(raw);
  } catch (err) {
    if (err instanceof ConveneError && Object.hasOwn(ERROR_CODES, err.code)) return err.code;
    throw new Error(`frame ${JSON.stringify(raw.slice(0, 200))} threw a non-typed error: ${String(err)}`);
  }
  if (!Value.Check(ClientMessageSchemas[message.type], message)) {
    throw new Error(`frame ${JSON.stringify(raw.slice(0, 200))} was accepted but does not match its schema`);
  }
  return 'accepted';
}

/** One HTTP route with a JSON body and a valid body to start from. */
export interface BodyRoute {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  seed: Json;
  /** Headers (session cookie, CSRF token) the request goes with. */
  as: 'host' | 'operator' | 'nobody';
}

export interface HttpFuzzContext {
  app: FastifyInstance;
  store: Store;
  headers: Record<BodyRoute['as'], Record<string, string>>;
}

/** Counts by route, status and error code; the first violation stops the run (thrown). */
export interface HttpFuzzCounts {
  requests: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
}

/** Sends one body and checks the property; updates `counts`. */
export async function checkRequest(
  ctx: HttpFuzzContext,
  route: BodyRoute,
  payload: string,
  counts: HttpFuzzCounts,
): Promise<void> {
  const before = await ctx.store.digest();
  const res = await ctx.app.inject({
    method: route.method,
    url: route.url,
    payload,
    headers: { 'content-type': 'application/json', ...ctx.headers[route.as] },
  });
  counts.requests++;
  counts.byStatus[res.statusCode] = (counts.byStatus[res.statusCode] ?? 0) + 1;
  const what = `${route.method} ${route.url} ${JSON.stringify(payload.slice(0, 300))} -> ${res.statusCode}`;
  if (res.statusCode >= 500) throw new Error(`${what}: server error ${res.body.slice(0, 300)}`);
  if (res.statusCode < 400) return;
  let code: unknown;
  try {
    code = res.json<{ error?: { code?: unknown } }>().error?.code;
  } catch {
    code = undefined;
  }
  if (typeof code !== 'string' || !Object.hasOwn(ERROR_CODES, code)) {
    throw new Error(`${what}: not a typed error: ${res.body.slice(0, 300)}`);
  }
  counts.byCode[code] = (counts.byCode[code] ?? 0) + 1;
  const after = await ctx.store.digest();
  const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
  if (changed.length > 0) throw new Error(`${what} (${code}) changed stored state: ${changed.join(', ')}`);
}
