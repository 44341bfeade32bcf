/**
 * The operator API (docs/api.md "Withholding and the case process"): enrolment, sign-in with a
 * one-time code, operators, cases, decisions, gag orders and appeals. Operator sessions are their own
 * cookie; host sessions and guest cookies are never accepted here.
 */
import { timingSafeEqual } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CaseService } from '../../app/cases/CaseService.js';
import { requireRole } from '../../app/cases/caseCommon.js';
import {
  OPERATOR_SESSION_MS,
  publicOperator,
  type OperatorService,
  type OperatorSession,
} from '../../app/cases/OperatorService.js';
import { ConveneError } from '../../errors.js';
import { CASE_STATUSES, DEMANDS, type CaseStatus } from '../../store/caseTypes.js';
import { parseCookies, serializeCookie } from '../../util/cookies.js';

export const OPERATOR_COOKIE = 'convene_operator';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const Code = Type.String({ pattern: '^[A-Z]{2}$' });
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Iso = Type.String({ maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}T' });
const Ref = Type.Object({ ref: Type.String({ pattern: '^CVN-\\d{4}-\\d{4,}$' }) });
const closed = <T extends Record<string, import('@sinclair/typebox').TSchema>>(props: T) =>
  Type.Object(props, { additionalProperties: false });

const Intake = closed({
  authority: Text(300),
  jurisdiction: Code,
  legalBasis: Text(1000),
  receivedOn: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  demands: Type.Array(Type.Union(DEMANDS.map((d) => Type.Literal(d))), {
    minItems: 1,
    maxItems: 5,
    uniqueItems: true,
  }),
  demandText: Type.Optional(Text(5000, 0)),
  targets: Type.Array(
    Type.Union([
      closed({ kind: Type.Literal('meeting'), link: Text(500) }),
      closed({ kind: Type.Literal('host'), email: Text(254) }),
      closed({ kind: Type.Literal('link'), url: Text(2000) }),
    ]),
    { minItems: 1, maxItems: 100 },
  ),
  evidenceNotes: Type.Optional(Text(20_000, 0)),
});
const Gag = closed({ until: Iso, reason: Text(2000) });
const Decision = Type.Union([
  closed({ outcome: Type.Literal('rejected'), reason: Text(5000) }),
  closed({
    outcome: Type.Literal('withhold'),
    targets: Type.Array(Type.Integer({ minimum: 0, maximum: 99 }), { minItems: 1, maxItems: 100 }),
    expiresAt: Iso,
    reason: Text(5000),
    gag: Type.Optional(Gag),
  }),
]);

function date(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new ConveneError('bad_request', `Not a valid time: ${value}`);
  return d;
}

export interface OperatorRouteDeps {
  operators: OperatorService;
  cases: CaseService;
  clientKey: (req: FastifyRequest) => string;
  secureCookies: boolean;
}

export function operatorRoutes(app: FastifyInstance, deps: OperatorRouteDeps): void {
  const { operators, cases } = deps;

  const session = async (req: FastifyRequest): Promise<OperatorSession> => {
    const found = await operators.session(parseCookies(req.headers.cookie).get(OPERATOR_COOKIE));
    if (!found) throw new ConveneError('operator_auth_required');
    if (!SAFE.has(req.method)) {
      const header = req.headers['x-csrf-token'];
      const given = Buffer.from(typeof header === 'string' ? header : '');
      const expected = Buffer.from(found.csrfToken);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new ConveneError('csrf_failed');
    }
    return found;
  };
  const cookie = (reply: FastifyReply, value: string, maxAgeMs: number) =>
    reply.header(
      'Set-Cookie',
      serializeCookie(OPERATOR_COOKIE, value, {
        maxAgeSeconds: Math.floor(maxAgeMs / 1000),
        secure: deps.secureCookies,
        path: '/api',
        sameSite: 'Strict',
      }),
    );

  // Everything but enrolment and sign-in needs an operator session, checked before the body is even
  // validated: hosts and guests get the same operator_auth_required on every endpoint.
  const open = new Set([
    '/api/operator/enrolment',
    '/api/operator/enrolment/confirm',
    '/api/operator/session',
  ]);
  app.addHook('preValidation', async (req) => {
    const path = req.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/operator/')) return;
    if (open.has(path) && !(path === '/api/operator/session' && req.method !== 'POST')) return;
    await session(req);
  });

  // ---- enrolment and sign-in ------------------------------------------------------------------------
  app.post(
    '/api/operator/enrolment',
    { schema: { body: closed({ token: Text(100), password: Text(200, 12) }) } },
    async (req) => {
      const body = req.body as { token: string; password: string };
      return operators.enrol(body.token, body.password);
    },
  );
  app.post(
    '/api/operator/enrolment/confirm',
    { schema: { body: closed({ token: Text(100), code: Text(10) }) } },
    async (req) => {
      const body = req.body as { token: string; code: string };
      return { operator: await operators.confirmEnrolment(body.token, body.code) };
    },
  );
  app.post(
    '/api/operator/session',
    { schema: { body: closed({ email: Text(254), password: Text(200), code: Text(10) }) } },
    async (req, reply) => {
      const body = req.body as { email: string; password: string; code: string };
      const signedIn = await operators.signIn(body, deps.clientKey(req));
      cookie(reply, signedIn.sessionToken, OPERATOR_SESSION_MS);
      return { operator: signedIn.operator, csrfToken: signedIn.csrfToken };
    },
  );
  app.get('/api/operator/session', async (req) => {
    const s = await session(req);
    return { operator: publicOperator(s.operator), csrfToken: s.csrfToken };
  });
  app.delete('/api/operator/session', async (req, reply) => {
    const s = await session(req);
    await operators.signOut(s.token);
    cookie(reply, '', 0);
    return reply.status(204).send();
  });

  // ---- operators (admin) ----------------------------------------------------------------------------
  app.get('/api/operator/operators', async (req) => {
    requireRole((await session(req)).operator, 'manage');
    return { operators: await operators.list() };
  });
  app.post(
    '/api/operator/operators',
    {
      schema: {
        body: closed({
          email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' }),
          displayName: Text(64),
          role: Type.Union([Type.Literal('intake'), Type.Literal('reviewer'), Type.Literal('admin')]),
        }),
      },
    },
    async (req, reply) => {
      const { operator } = await session(req);
      requireRole(operator, 'manage');
      const body = req.body as { email: string; displayName: string; role: 'intake' | 'reviewer' | 'admin' };
      const added = await operators.add(body, { kind: 'operator', id: operator.id });
      return reply.status(201).send({ operator: added.operator, enrolmentUrl: added.enrolmentUrl });
    },
  );
  app.delete(
    '/api/operator/operators/:id',
    { schema: { params: closed({ id: Text(64) }) } },
    async (req, reply) => {
      const { operator } = await session(req);
      requireRole(operator, 'manage');
      await operators.disable((req.params as { id: string }).id, { kind: 'operator', id: operator.id });
      return reply.status(204).send();
    },
  );

  // ---- cases -----------------------------------------------------------------------------------------
  app.get('/api/operator/cases', async (req) => {
    await session(req);
    const q = req.query as { status?: string; jurisdiction?: string };
    if (q.status !== undefined && !CASE_STATUSES.includes(q.status as CaseStatus)) {
      throw new ConveneError('bad_request', 'Unknown status.');
    }
    if (q.jurisdiction !== undefined && !/^[A-Z]{2}$/.test(q.jurisdiction)) {
      throw new ConveneError('bad_request', 'A jurisdiction is a two-letter code.');
    }
    return {
      cases: await cases.list({
        ...(q.status ? { status: q.status as CaseStatus } : {}),
        ...(q.jurisdiction ? { jurisdiction: q.jurisdiction } : {}),
      }),
    };
  });
  app.post('/api/operator/cases', { schema: { body: Intake } }, async (req, reply) => {
    const { operator } = await session(req);
    const body = req.body as Static<typeof Intake>;
    const view = await cases.intake(
      { ...body, demandText: body.demandText ?? '', evidenceNotes: body.evidenceNotes ?? '' },
      operator,
    );
    return reply.status(201).send(view);
  });
  app.get('/api/operator/cases/:ref', { schema: { params: Ref } }, async (req) => {
    await session(req);
    return cases.view((req.params as { ref: string }).ref);
  });
  app.get('/api/operator/cases/:ref/scope', { schema: { params: Ref } }, async (req) => {
    await session(req);
    return cases.scope((req.params as { ref: string }).ref);
  });
  app.post('/api/operator/cases/:ref/review', { schema: { params: Ref, body: closed({}) } }, async (req) => {
    const { operator } = await session(req);
    return cases.startReview((req.params as { ref: string }).ref, operator);
  });
  app.post('/api/operator/cases/:ref/decision', { schema: { params: Ref, body: Decision } }, async (req) => {
    const { operator } = await session(req);
    const body = req.body as Static<typeof Decision>;
    const ref = (req.params as { ref: string }).ref;
    if (body.outcome === 'rejected') return cases.decide(ref, operator, body);
    return cases.decide(ref, operator, {
      outcome: 'withhold',
      targets: body.targets,
      expiresAt: date(body.expiresAt),
      reason: body.reason,
      gag: body.gag ? { until: date(body.gag.until), reason: body.gag.reason } : undefined,
    });
  });
  app.post(
    '/api/operator/cases/:ref/gag',
    { schema: { params: Ref, body: closed({ until: Type.Union([Iso, Type.Null()]), reason: Text(2000) }) } },
    async (req) => {
      const { operator } = await session(req);
      const body = req.body as { until: string | null; reason: string };
      return cases.setGag((req.params as { ref: string }).ref, operator, {
        until: body.until === null ? null : date(body.until),
        reason: body.reason,
      });
    },
  );
  app.get('/api/operator/appeals', async (req) => {
    await session(req);
    return { cases: await cases.withOpenAppeals() };
  });
  app.post(
    '/api/operator/cases/:ref/appeal-decision',
    {
      schema: {
        params: Ref,
        body: closed({
          outcome: Type.Union([Type.Literal('upheld'), Type.Literal('reversed')]),
          reason: Text(5000),
        }),
      },
    },
    async (req) => {
      const { operator } = await session(req);
      const body = req.body as { outcome: 'upheld' | 'reversed'; reason: string };
      return cases.decideAppeal((req.params as { ref: string }).ref, operator, body);
    },
  );

  // Any other operator path: the same answer without a session, so nothing is learnt by probing.
  app.all('/api/operator/*', async (req) => {
    await session(req);
    throw new ConveneError('not_found');
  });
}
