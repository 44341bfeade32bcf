/**
 * The HTTP routes with JSON bodies, each with a valid body to mutate, over an in-process app with a
 * signed-in host, an operator (admin) and an anonymous meeting's host key: the fuzzing targets of
 * test/integration/fuzz.test.ts and bench/fuzz.ts.
 */
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import type { ApiApp } from './apiApp.js';
import type { BodyRoute, HttpFuzzContext } from './fuzz.js';
import { newOperator } from './operators.js';

const cookieOf = (res: LightMyRequestResponse) => String(res.headers['set-cookie']).split(';')[0] ?? '';

export async function httpFuzzTargets(api: ApiApp): Promise<{ ctx: HttpFuzzContext; routes: BodyRoute[] }> {
  const { app } = api;
  const email = 'fuzz-host@example.org';
  const password = 'correct horse battery';
  const signup = await app.inject({
    method: 'POST',
    url: '/api/accounts',
    headers: { 'x-test-client': 'fuzz-setup' },
    payload: { email, password, displayName: 'Fuzz host' },
  });
  if (signup.statusCode !== 202) throw new Error(`sign up: ${signup.body}`);
  const session = await app.inject({
    method: 'POST',
    url: '/api/session',
    headers: { 'x-test-client': 'fuzz-setup' },
    payload: { email, password },
  });
  const host = { cookie: cookieOf(session), 'x-csrf-token': session.json<{ csrfToken: string }>().csrfToken };
  const meeting = await app.inject({ method: 'POST', url: '/api/meetings', headers: host, payload: {} });
  const meetingId = meeting.json<{ id: string }>().id;
  const anon = await app.inject({
    method: 'POST',
    url: '/api/meetings',
    headers: { 'x-test-client': 'fuzz-anon' },
    payload: {},
  });
  const { id: anonId, hostKey } = anon.json<{ id: string; hostKey: string }>();
  const banId = await api.store.bans.add(anonId, ['guest:fuzzguest'], 'Fuzzy');

  // Operator enrolment goes over real HTTP (the helper's path); the fuzzing itself is in-process.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const operator = await newOperator({ url: `http://127.0.0.1:${port}`, operators: api.operators }, 'admin');

  const settings = {
    lobby: true,
    passcode: 'abc',
    webinar: false,
    maxParticipants: 10,
    regionPolicy: { mode: 'deny', jurisdictions: ['FR'] },
  };
  const keyBody = { meetingId: anonId, hostKey };
  const ref = 'CVN-2026-0001';
  const routes: BodyRoute[] = [
    {
      method: 'POST',
      url: '/api/accounts',
      as: 'nobody',
      seed: { email: 'a@b.example', password: 'long enough pw', displayName: 'A' },
    },
    { method: 'POST', url: '/api/session', as: 'nobody', seed: { email, password: 'wrong password' } },
    {
      method: 'POST',
      url: '/api/meetings',
      as: 'host',
      seed: { title: 'T', scheduledFor: '2026-12-03T10:00:00Z', settings },
    },
    {
      method: 'PATCH',
      url: `/api/meetings/${meetingId}`,
      as: 'host',
      seed: { title: 'T', scheduledFor: null, settings },
    },
    { method: 'POST', url: '/api/host-key/bans', as: 'nobody', seed: keyBody },
    { method: 'POST', url: `/api/host-key/bans/${banId}/lift`, as: 'nobody', seed: keyBody },
    { method: 'POST', url: '/api/host-key/notices', as: 'nobody', seed: keyBody },
    {
      method: 'POST',
      url: '/api/host-key/notices/n1/appeal',
      as: 'nobody',
      seed: { ...keyBody, text: 'please' },
    },
    { method: 'POST', url: '/api/notices/n1/appeal', as: 'host', seed: { text: 'please' } },
    {
      method: 'POST',
      url: '/api/notices/n1/consent',
      as: 'host',
      seed: { publishTitles: true, publishHostName: false },
    },
    {
      method: 'POST',
      url: '/api/operator/enrolment',
      as: 'nobody',
      seed: { token: 't', password: 'twelve chars long' },
    },
    {
      method: 'POST',
      url: '/api/operator/enrolment/confirm',
      as: 'nobody',
      seed: { token: 't', code: '123456' },
    },
    {
      method: 'POST',
      url: '/api/operator/session',
      as: 'nobody',
      seed: { email: operator.email, password: 'x', code: '123456' },
    },
    {
      method: 'POST',
      url: '/api/operator/operators',
      as: 'operator',
      seed: { email: 'o@b.example', displayName: 'O', role: 'intake' },
    },
    {
      method: 'POST',
      url: '/api/operator/cases',
      as: 'operator',
      seed: {
        authority: 'A court',
        jurisdiction: 'DE',
        legalBasis: 'Section 1',
        receivedOn: '2026-11-30',
        demands: ['end_meeting'],
        demandText: '',
        targets: [{ kind: 'meeting', link: `http://localhost/m/${meetingId}` }],
        evidenceNotes: '',
      },
    },
    { method: 'POST', url: `/api/operator/cases/${ref}/review`, as: 'operator', seed: {} },
    {
      method: 'POST',
      url: `/api/operator/cases/${ref}/decision`,
      as: 'operator',
      seed: {
        outcome: 'withhold',
        targets: [0],
        expiresAt: '2027-01-01T00:00:00Z',
        reason: 'r',
        gag: { until: '2026-12-10T00:00:00Z', reason: 'g' },
      },
    },
    {
      method: 'POST',
      url: `/api/operator/cases/${ref}/gag`,
      as: 'operator',
      seed: { until: null, reason: 'r' },
    },
    {
      method: 'POST',
      url: `/api/operator/cases/${ref}/appeal-decision`,
      as: 'operator',
      seed: { outcome: 'upheld', reason: 'r' },
    },
  ];
  return {
    routes,
    ctx: {
      app,
      store: api.store,
      headers: {
        host,
        operator: { cookie: operator.cookie, 'x-csrf-token': operator.csrf },
        nobody: { 'x-test-client': 'fuzz-nobody' },
      },
    },
  };
}
