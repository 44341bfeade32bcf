/**
 * Operators for tests, the way an outside test drives them (docs/testing.md): added by the CLI's
 * path (OperatorService.add, as `convene operator add` does through the admin socket), enrolled over
 * HTTP with a password and a TOTP code computed from the issued secret, then signed in.
 */
import * as OTPAuth from 'otpauth';

export interface OperatorClient {
  id: string;
  email: string;
  cookie: string;
  csrf: string;
  secret: string;
  /** A JSON call with this operator's session. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
}

export const totpCode = (secret: string, at = Date.now()) =>
  new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  }).generate({
    timestamp: at,
  });

export async function jsonCall<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; setCookie: string | null }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    setCookie: res.headers.get('set-cookie'),
  };
}

/** Enrols from a token and signs in; returns a client bound to the operator session. */
export async function enrolAndSignIn(base: string, email: string, token: string): Promise<OperatorClient> {
  const password = 'a long operator passphrase';
  const enrol = await jsonCall<{ totpSecret: string }>(base, 'POST', '/api/operator/enrolment', {
    token,
    password,
  });
  if (enrol.status !== 200) throw new Error(`enrol: ${enrol.status} ${JSON.stringify(enrol.body)}`);
  const secret = enrol.body.totpSecret;
  const confirm = await jsonCall(base, 'POST', '/api/operator/enrolment/confirm', {
    token,
    code: totpCode(secret),
  });
  if (confirm.status !== 200) throw new Error(`confirm: ${confirm.status} ${JSON.stringify(confirm.body)}`);
  const signIn = await jsonCall<{ csrfToken: string; operator: { id: string } }>(
    base,
    'POST',
    '/api/operator/session',
    {
      email,
      password,
      code: totpCode(secret),
    },
  );
  if (signIn.status !== 200) throw new Error(`sign in: ${signIn.status} ${JSON.stringify(signIn.body)}`);
  const cookie = (signIn.setCookie ?? '').split(';')[0] ?? '';
  const csrf = signIn.body.csrfToken;
  return {
    id: signIn.body.operator.id,
    email,
    cookie,
    csrf,
    secret,
    api: async <T>(method: string, path: string, body?: unknown) => {
      const r = await jsonCall<T>(base, method, path, body, { cookie, 'x-csrf-token': csrf });
      return { status: r.status, body: r.body };
    },
  };
}

/** Adds an operator through the server's service (what the CLI does) and signs them in. */
export async function newOperator(
  server: {
    url: string;
    operators: {
      add(
        input: { email: string; displayName: string; role: 'intake' | 'reviewer' | 'admin' },
        by: { kind: 'system' },
      ): Promise<{ token: string }>;
    };
  },
  role: 'intake' | 'reviewer' | 'admin',
): Promise<OperatorClient> {
  const email = `${role}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@operators.example`;
  const { token } = await server.operators.add({ email, displayName: role, role }, { kind: 'system' });
  return enrolAndSignIn(server.url, email, token);
}
