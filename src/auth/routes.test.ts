import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { embeddedAuthApp, expectProblem } from '../../test/helpers.js';
import { injectClient } from '../../test/support/test-client.js';

interface TokenPairBody {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  refreshToken: string;
}

const json = (app: FastifyInstance, method: 'GET' | 'POST', url: string, payload?: object, token?: string) =>
  injectClient(app).request({ method, path: url, body: payload, token });

async function register(app: FastifyInstance, username: string, password = 'password-123') {
  return injectClient(app).register(username, password);
}

async function login(app: FastifyInstance, username: string, password = 'password-123'): Promise<TokenPairBody> {
  const response = await injectClient(app).login(username, password);
  expect(response.statusCode).toBe(200);
  return response.json<TokenPairBody>();
}


describe('auth routes', () => {
  describe('POST /api/v1/auth/register', () => {
    it('creates a user and answers 201 with its id and name', async () => {
      const app = await embeddedAuthApp();
      const response = await register(app, 'Player_One');
      expect(response.statusCode).toBe(201);
      const body = response.json<{ user: { id: string; username: string } }>();
      expect(body.user.username).toBe('Player_One');
      expect(body.user.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(body).not.toHaveProperty('user.passwordHash');
    });

    it('answers 409 conflict for a name taken in any case', async () => {
      const app = await embeddedAuthApp();
      await register(app, 'dana');
      expectProblem(await register(app, 'DANA'), 409, 'conflict');
    });

    it.each([
      ['too short a name', { username: 'ab', password: 'password-123' }],
      ['too long a name', { username: 'a'.repeat(33), password: 'password-123' }],
      ['a name with a space', { username: 'bad name', password: 'password-123' }],
      ['a name with unicode', { username: 'jos\u00e9', password: 'password-123' }],
      ['too short a password', { username: 'erin', password: 'short' }],
      ['too long a password', { username: 'erin', password: 'p'.repeat(129) }],
      ['a number as the name', { username: 12345, password: 'password-123' }],
      ['a missing password', { username: 'erin' }],
      ['an array body', ['erin', 'password-123']],
    ])('answers 400 invalid_request for %s and creates nothing', async (_case, payload) => {
      const app = await embeddedAuthApp();
      expectProblem(await json(app, 'POST', '/api/v1/auth/register', payload), 400, 'invalid_request');
      expectProblem(await json(app, 'POST', '/api/v1/auth/login', { username: 'erin', password: 'password-123' }), 401, 'unauthorized');
    });

    it('accepts the longest allowed name and password', async () => {
      const app = await embeddedAuthApp();
      const response = await json(app, 'POST', '/api/v1/auth/register', { username: 'a'.repeat(32), password: 'p'.repeat(128) });
      expect(response.statusCode).toBe(201);
    });
  });

  describe('POST /api/v1/auth/login', () => {
    it('answers a bearer token pair', async () => {
      const app = await embeddedAuthApp();
      await register(app, 'frank');
      const body = await login(app, 'FRANK');
      expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
      expect(body.accessToken.split('.')).toHaveLength(3);
      expect(body.refreshToken.length).toBeGreaterThanOrEqual(40);
    });

    it('gives a wrong password and an unknown user the same 401', async () => {
      const app = await embeddedAuthApp();
      await register(app, 'grace');
      const wrongPassword = await json(app, 'POST', '/api/v1/auth/login', { username: 'grace', password: 'not-her-password' });
      const unknownUser = await json(app, 'POST', '/api/v1/auth/login', { username: 'nobody', password: 'password-123' });
      expectProblem(wrongPassword, 401, 'unauthorized');
      expect(unknownUser.json()).toEqual(wrongPassword.json());
    });
  });

  describe('GET /api/v1/me', () => {
    it('describes the bearer', async () => {
      const app = await embeddedAuthApp();
      const { user } = (await register(app, 'heidi')).json<{ user: { id: string } }>();
      const { accessToken } = await login(app, 'heidi');
      const me = await json(app, 'GET', '/api/v1/me', undefined, accessToken);
      expect(me.statusCode).toBe(200);
      expect(me.json()).toEqual({ id: user.id, username: 'heidi', roles: [] });
    });

    it('gives ADMIN_USERS the admin role, whatever the case', async () => {
      const app = await embeddedAuthApp({ adminUsers: ['Ivan'] });
      await register(app, 'ivan');
      const { accessToken } = await login(app, 'ivan');
      expect((await json(app, 'GET', '/api/v1/me', undefined, accessToken)).json()).toMatchObject({ roles: ['admin'] });
    });

    it('answers 401 without a token, with a malformed header, or with a bad token', async () => {
      const app = await embeddedAuthApp();
      const missing = await json(app, 'GET', '/api/v1/me');
      expectProblem(missing, 401, 'unauthorized');
      expect(missing.headers['www-authenticate']).toBe('Bearer');
      const basic = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
      expectProblem(basic, 401, 'unauthorized');
      expectProblem(await json(app, 'GET', '/api/v1/me', undefined, 'not.a.token'), 401, 'unauthorized');
    });
  });

  describe('refresh and logout', () => {
    it('rotates: the new pair works and the old refresh token is spent', async () => {
      const app = await embeddedAuthApp();
      await register(app, 'judy');
      const first = await login(app, 'judy');
      const refreshed = await json(app, 'POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken });
      expect(refreshed.statusCode).toBe(200);
      const second = refreshed.json<TokenPairBody>();
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect((await json(app, 'GET', '/api/v1/me', undefined, second.accessToken)).statusCode).toBe(200);
    });

    it('revokes the whole family when a spent token is presented again', async () => {
      const app = await embeddedAuthApp();
      await register(app, 'ken');
      const first = await login(app, 'ken');
      const second = (await json(app, 'POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken })).json<TokenPairBody>();

      // An attacker replays the stolen, already spent token…
      expectProblem(await json(app, 'POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken }), 401, 'unauthorized');
      // …and the legitimate holder's newer token dies with the family.
      expectProblem(await json(app, 'POST', '/api/v1/auth/refresh', { refreshToken: second.refreshToken }), 401, 'unauthorized');
    });

    it('keeps other sessions of the same user alive when one family is revoked', async () => {
      const app = await embeddedAuthApp();
      await register(app, 'leo');
      const phone = await login(app, 'leo');
      const laptop = await login(app, 'leo');
      await json(app, 'POST', '/api/v1/auth/refresh', { refreshToken: phone.refreshToken });
      await json(app, 'POST', '/api/v1/auth/refresh', { refreshToken: phone.refreshToken });
      expect((await json(app, 'POST', '/api/v1/auth/refresh', { refreshToken: laptop.refreshToken })).statusCode).toBe(200);
    });

    it('logout answers 204 and spends the refresh token', async () => {
      const app = await embeddedAuthApp();
      await register(app, 'mia');
      const pair = await login(app, 'mia');
      const logout = await json(app, 'POST', '/api/v1/auth/logout', { refreshToken: pair.refreshToken });
      expect(logout.statusCode).toBe(204);
      expect(logout.body).toBe('');
      expectProblem(await json(app, 'POST', '/api/v1/auth/refresh', { refreshToken: pair.refreshToken }), 401, 'unauthorized');
    });

    it('logout of an unknown token still answers 204, revealing nothing', async () => {
      const app = await embeddedAuthApp();
      expect((await json(app, 'POST', '/api/v1/auth/logout', { refreshToken: 'never-issued' })).statusCode).toBe(204);
    });

    it('answers 401 for an unknown refresh token and 400 for a missing one', async () => {
      const app = await embeddedAuthApp();
      expectProblem(await json(app, 'POST', '/api/v1/auth/refresh', { refreshToken: 'never-issued' }), 401, 'unauthorized');
      expectProblem(await json(app, 'POST', '/api/v1/auth/refresh', {}), 400, 'invalid_request');
    });
  });

  describe('GET /.well-known/jwks.json', () => {
    it('lists the Ed25519 public key tokens name in their kid, and no private part', async () => {
      const app = await embeddedAuthApp();
      await register(app, 'nina');
      const { accessToken } = await login(app, 'nina');
      const { kid } = JSON.parse(Buffer.from(accessToken.split('.')[0]!, 'base64url').toString()) as { kid: string };
      const jwks = await json(app, 'GET', '/.well-known/jwks.json');
      expect(jwks.statusCode).toBe(200);
      const { keys } = jwks.json<{ keys: Record<string, string>[] }>();
      expect(keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: expect.any(String) as string, kid, alg: 'EdDSA', use: 'sig' }]);
    });
  });
});
