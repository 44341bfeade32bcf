/**
 * Hosts' notices and appeals (signed-in hosts, or an anonymous meeting's host key) and the public
 * notices of decided cases (no sign-in). docs/api.md "Hosts: notices and appeals", "Public notices".
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { CaseService } from '../../app/cases/CaseService.js';
import type { MeetingService } from '../../app/MeetingService.js';
import { requireHostKey, type Sessions } from './session.js';

const closed = <T extends Record<string, import('@sinclair/typebox').TSchema>>(props: T) =>
  Type.Object(props, { additionalProperties: false });
const Id = closed({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const MeetingId = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' });
const HostKey = Type.String({ minLength: 1, maxLength: 128 });
const AppealText = Type.String({ minLength: 1, maxLength: 5000 });
const Consent = { publishTitles: Type.Boolean(), publishHostName: Type.Boolean() };

export function noticeRoutes(
  app: FastifyInstance,
  deps: { cases: CaseService; meetings: MeetingService; sessions: Sessions },
): void {
  const { cases, sessions } = deps;
  const byHostKey = (
    req: { headers: { cookie?: string | undefined } },
    meetingId: string,
    hostKey: string | undefined,
  ) => requireHostKey(deps.meetings.records, req, meetingId, hostKey);

  app.get('/api/notices', async (req) => {
    const s = await sessions.required(req);
    return { notices: await cases.notices.list({ accountId: s.account.id }) };
  });
  app.post(
    '/api/notices/:id/appeal',
    { schema: { params: Id, body: closed({ text: AppealText }) } },
    async (req, reply) => {
      const s = await sessions.required(req);
      const id = (req.params as { id: string }).id;
      await cases.notices.fileAppeal(id, { accountId: s.account.id }, (req.body as { text: string }).text);
      return reply.status(201).send(await cases.notices.get(id));
    },
  );
  app.post('/api/notices/:id/consent', { schema: { params: Id, body: closed(Consent) } }, async (req) => {
    const s = await sessions.required(req);
    const id = (req.params as { id: string }).id;
    await cases.notices.consent(
      id,
      { accountId: s.account.id },
      req.body as { publishTitles: boolean; publishHostName: boolean },
    );
    return cases.notices.get(id);
  });
  app.post(
    '/api/host-key/notices',
    { schema: { body: closed({ meetingId: MeetingId, hostKey: Type.Optional(HostKey) }) } },
    async (req) => {
      const body = req.body as { meetingId: string; hostKey?: string };
      return { notices: await cases.notices.list(await byHostKey(req, body.meetingId, body.hostKey)) };
    },
  );
  app.post(
    '/api/host-key/notices/:id/appeal',
    {
      schema: {
        params: Id,
        body: closed({ meetingId: MeetingId, hostKey: Type.Optional(HostKey), text: AppealText }),
      },
    },
    async (req, reply) => {
      const body = req.body as { meetingId: string; hostKey?: string; text: string };
      const id = (req.params as { id: string }).id;
      await cases.notices.fileAppeal(id, await byHostKey(req, body.meetingId, body.hostKey), body.text);
      return reply.status(201).send(await cases.notices.get(id));
    },
  );

  app.get('/api/public/cases', async () => ({ cases: await cases.public.list() }));
  app.get(
    '/api/public/cases/:ref',
    { schema: { params: closed({ ref: Type.String({ pattern: '^CVN-\\d{4}-\\d{4,}$' }) }) } },
    async (req) => cases.public.get((req.params as { ref: string }).ref),
  );
}
