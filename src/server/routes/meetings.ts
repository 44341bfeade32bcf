/** Meetings as records: create (signed in or anonymous), list, read, edit, end (docs/api.md). */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { HostedMeeting } from '../../app/MeetingRecords.js';
import type { MeetingService } from '../../app/MeetingService.js';
import type { Identity } from '../../app/Participant.js';
import { ConveneError } from '../../errors.js';
import type { MeetingPatch, MeetingSettings } from '../../store/types.js';
import { RateLimiter } from '../../util/RateLimiter.js';
import type { Sessions } from './session.js';

const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const IsoTime = Type.String({ maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}T' });
const Settings = Type.Object(
  {
    lobby: Type.Optional(Type.Boolean()),
    passcode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S+$' }))),
    webinar: Type.Optional(Type.Boolean()),
    maxParticipants: Type.Optional(Nullable(Type.Integer({ minimum: 2, maximum: 5000 }))),
    regionPolicy: Type.Optional(
      Nullable(
        Type.Object(
          {
            mode: Type.Union([Type.Literal('deny'), Type.Literal('allow')]),
            jurisdictions: Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), {
              maxItems: 250,
              uniqueItems: true,
            }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);
const CreateBody = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 200 })),
    scheduledFor: Type.Optional(IsoTime),
    settings: Type.Optional(Settings),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    scheduledFor: Type.Optional(Nullable(IsoTime)),
    settings: Type.Optional(Settings),
  },
  { additionalProperties: false },
);
/** Who asks, as the signaling upgrade would see them: jurisdiction (from geo/) and identity (cookies). */
export type Viewer = (req: IncomingMessage) => Promise<{ jurisdiction: string; identity: Identity }>;

/** Pre-join previews one client may ask for: 120 per 10 minutes. */
export const MEETING_PREVIEWS = { limit: 120, windowMs: 10 * 60_000 };

/** Meetings one client (signed in or not) may create: 30 per 10 minutes. */
export const MEETING_CREATION = { limit: 30, windowMs: 10 * 60_000 };

const IdParams = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' }) });

function parseTime(value: string | null | undefined): Date | null | undefined {
  if (value === undefined || value === null) return value;
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new ConveneError('bad_request', 'scheduledFor is not a valid time.');
  return t;
}

export function meetingRoutes(
  app: FastifyInstance,
  deps: {
    service: MeetingService;
    sessions: Sessions;
    baseUrl: (req: FastifyRequest) => string;
    clientKey: (req: FastifyRequest) => string;
    identify: Viewer;
  },
): void {
  const { service, sessions } = deps;
  const creations = new RateLimiter(MEETING_CREATION.limit, MEETING_CREATION.windowMs);
  const previews = new RateLimiter(MEETING_PREVIEWS.limit, MEETING_PREVIEWS.windowMs);

  const json = (
    req: FastifyRequest,
    { row, liveParticipants }: HostedMeeting,
    forHost: boolean,
    hostKey?: string,
  ) => {
    const url = `${deps.baseUrl(req)}/m/${row.id}`;
    const { passcode, ...settings } = row.settings;
    return {
      id: row.id,
      title: row.title,
      url: forHost && passcode ? `${url}#pwd=${encodeURIComponent(passcode)}` : url,
      ...(hostKey ? { hostKey } : {}),
      scheduledFor: row.scheduledFor?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      endedAt: row.endedAt?.toISOString() ?? null,
      locked: row.locked,
      live: liveParticipants === null ? null : { participants: liveParticipants },
      settings: { ...settings, hasPasscode: passcode !== null, ...(forHost ? { passcode } : {}) },
    };
  };

  app.post('/api/meetings', { schema: { body: CreateBody } }, async (req, reply) => {
    const session = await sessions.optional(req);
    const clientKey = deps.clientKey(req);
    if (creations.limited(clientKey)) {
      throw new ConveneError('rate_limited', 'Too many meetings created from your network; try again later.');
    }
    creations.record(clientKey);
    const body = (req.body ?? {}) as Static<typeof CreateBody>;
    const { row, hostKey } = await service.records.create({
      title: body.title,
      scheduledFor: parseTime(body.scheduledFor),
      settings: body.settings as Partial<MeetingSettings> | undefined,
      hostAccountId: session?.account.id,
    });
    // Browsers keep the host key in an HttpOnly cookie for the signaling path; API users get it in the
    // JSON answer too (once) and may send it in `join`.
    if (hostKey) sessions.hostKeyCookie(reply, row.id, hostKey);
    return reply.status(201).send(json(req, { row, liveParticipants: null }, true, hostKey));
  });

  app.get('/api/meetings', async (req) => {
    const session = await sessions.required(req);
    const meetings = await service.records.listHosted(session.account.id);
    return { meetings: meetings.map((m) => json(req, m, true)) };
  });

  // What the pre-join screen may show this viewer (app/preview.ts says who may see what). No passcode
  // is ever sent here: links keep it in the fragment, for the signaling `join` only.
  app.get('/api/meetings/:id/preview', { schema: { params: IdParams } }, async (req, reply) => {
    const clientKey = deps.clientKey(req);
    if (previews.limited(clientKey)) throw new ConveneError('rate_limited');
    previews.record(clientKey);
    const viewer = await deps.identify(req.raw);
    reply.header('Cache-Control', 'no-store');
    return service.preview((req.params as { id: string }).id, viewer);
  });

  app.get('/api/meetings/:id', { schema: { params: IdParams } }, async (req) => {
    const session = await sessions.required(req);
    const meeting = await service.records.hosted((req.params as { id: string }).id, session.account.id);
    return json(req, meeting, true);
  });

  app.patch('/api/meetings/:id', { schema: { params: IdParams, body: PatchBody } }, async (req) => {
    const session = await sessions.required(req);
    const body = req.body as Static<typeof PatchBody>;
    const patch: MeetingPatch = {};
    if (body.title !== undefined) patch.title = body.title.trim();
    const when = parseTime(body.scheduledFor);
    if (when !== undefined) patch.scheduledFor = when;
    if (body.settings) patch.settings = body.settings as Partial<MeetingSettings>;
    const meeting = await service.records.update(
      (req.params as { id: string }).id,
      session.account.id,
      patch,
    );
    return json(req, meeting, true);
  });

  app.delete('/api/meetings/:id', { schema: { params: IdParams } }, async (req, reply) => {
    const session = await sessions.required(req);
    await service.records.endHosted((req.params as { id: string }).id, session.account.id);
    return reply.status(204).send();
  });
}
