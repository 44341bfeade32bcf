/**
 * A meeting's bans for its host: the signed-in owner, or an anonymous meeting's host key (body or
 * HttpOnly cookie). List and lift; docs/api.md "Bans".
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { MeetingService } from '../../app/MeetingService.js';
import { requireHostKey, type Sessions } from './session.js';

const closed = <T extends Record<string, import('@sinclair/typebox').TSchema>>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const MeetingId = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' });
const BanId = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const HostKey = Type.String({ minLength: 1, maxLength: 128 });
const HostKeyBody = closed({ meetingId: MeetingId, hostKey: Type.Optional(HostKey) });

export function banRoutes(app: FastifyInstance, deps: { service: MeetingService; sessions: Sessions }): void {
  const { service, sessions } = deps;
  const bans = service.meetingBans;

  app.get('/api/meetings/:id/bans', { schema: { params: closed({ id: MeetingId }) } }, async (req) => {
    const session = await sessions.required(req);
    const { id } = req.params as { id: string };
    await service.records.hosted(id, session.account.id);
    return { bans: await bans.list(id) };
  });

  app.delete(
    '/api/meetings/:id/bans/:banId',
    { schema: { params: closed({ id: MeetingId, banId: BanId }) } },
    async (req, reply) => {
      const session = await sessions.required(req);
      const { id, banId } = req.params as { id: string; banId: string };
      await service.records.hosted(id, session.account.id);
      await bans.lift(id, banId);
      return reply.status(204).send();
    },
  );

  app.post('/api/host-key/bans', { schema: { body: HostKeyBody } }, async (req) => {
    const body = req.body as { meetingId: string; hostKey?: string };
    const { meetingId } = await requireHostKey(service.records, req, body.meetingId, body.hostKey);
    return { bans: await bans.list(meetingId) };
  });

  app.post(
    '/api/host-key/bans/:banId/lift',
    { schema: { params: closed({ banId: BanId }), body: HostKeyBody } },
    async (req, reply) => {
      const body = req.body as { meetingId: string; hostKey?: string };
      const { meetingId } = await requireHostKey(service.records, req, body.meetingId, body.hostKey);
      await bans.lift(meetingId, (req.params as { banId: string }).banId);
      return reply.status(204).send();
    },
  );
}
