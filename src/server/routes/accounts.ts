/** Sign up, sign in, the current session, sign out (docs/api.md). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { publicAccount, type AccountService } from '../../app/AccountService.js';
import { normaliseDisplayName } from '../../protocol/displayName.js';
import type { Sessions } from './session.js';

const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });
const SignUpBody = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 8, maxLength: 200 }),
    displayName: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
const SignInBody = Type.Object(
  { email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);

export function accountRoutes(
  app: FastifyInstance,
  deps: {
    accounts: AccountService;
    sessions: Sessions;
    clientKey: (req: import('fastify').FastifyRequest) => string;
  },
): void {
  const { accounts, sessions } = deps;

  app.post('/api/accounts', { schema: { body: SignUpBody } }, async (req, reply) => {
    const body = req.body as { email: string; password: string; displayName: string };
    await accounts.signUp(
      { ...body, displayName: normaliseDisplayName(body.displayName) },
      deps.clientKey(req),
    );
    // The same answer whether the address was free or already had an account (docs/api.md): the
    // account's owner hears about the attempt through the outbox, the caller learns nothing.
    return reply.status(202).send({ status: 'accepted' });
  });

  app.post('/api/session', { schema: { body: SignInBody } }, async (req, reply) => {
    const body = req.body as { email: string; password: string };
    const signedIn = await accounts.signIn(body, deps.clientKey(req));
    sessions.setCookie(reply, signedIn.sessionToken);
    return { account: signedIn.account, csrfToken: signedIn.csrfToken };
  });

  app.get('/api/session', async (req) => {
    const session = await sessions.required(req);
    return { account: publicAccount(session.account), csrfToken: session.csrfToken };
  });

  app.delete('/api/session', async (req, reply) => {
    const session = await sessions.required(req);
    await accounts.signOut(session.token);
    sessions.clearCookie(reply);
    return reply.status(204).send();
  });
}
