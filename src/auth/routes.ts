import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { problemResponses } from '../platform/problem-json.js';
import type { AuthService } from './auth-service.js';
import { bearerClaims } from './bearer.js';
import { JWKS_PATH } from './key-resolvers.js';
import type { KeyStore } from './key-store.js';
import type { TokenVerifier } from './token-verifier.js';

const Credentials = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' }),
    password: Type.String({ minLength: 8, maxLength: 128 }),
  },
  { additionalProperties: false },
);
const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false });
const TokenPair = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'seconds' }),
  refreshToken: Type.String(),
});
const User = Type.Object({ id: Type.String(), username: Type.String() });
const Jwk = Type.Object({
  kty: Type.String(),
  crv: Type.String(),
  x: Type.String(),
  kid: Type.String(),
  alg: Type.String(),
  use: Type.String(),
});

export interface AuthRoutesDeps {
  auth: AuthService;
  verifier: TokenVerifier;
  keys: KeyStore;
}

/** docs/API.md "Auth". */
export function registerAuthRoutes(root: FastifyInstance, { auth, verifier, keys }: AuthRoutesDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/v1/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an account',
        body: Credentials,
        response: { 201: Type.Object({ user: User }), ...problemResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const user = await auth.register(request.body.username, request.body.password);
      return reply.code(201).send({ user });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange credentials for an access token and a refresh token',
        body: Credentials,
        description: 'Attempts are limited per username and per client IP; over a limit → 429 rate_limited with Retry-After.',
        response: { 200: TokenPair, ...problemResponses(400, 401, 429) },
      },
    },
    (request) => auth.login(request.body.username, request.body.password, request.ip),
  );

  app.post(
    '/api/v1/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Spend a refresh token for a new pair (reusing a spent one revokes the session)',
        body: RefreshBody,
        response: { 200: TokenPair, ...problemResponses(400, 401) },
      },
    },
    (request) => auth.refresh(request.body.refreshToken),
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session of a refresh token',
        body: RefreshBody,
        response: { 204: Type.Null(), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      await auth.logout(request.body.refreshToken);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The bearer of the access token',
        security: [{ bearer: [] }],
        response: { 200: Type.Object({ ...User.properties, roles: Type.Array(Type.String()) }), ...problemResponses(401) },
      },
    },
    async (request) => auth.profile(await bearerClaims(request, verifier)),
  );

  app.get(
    JWKS_PATH,
    {
      schema: {
        tags: ['auth'],
        summary: 'Public keys that verify access tokens',
        response: { 200: Type.Object({ keys: Type.Array(Jwk) }) },
      },
    },
    async (_request, reply) => {
      const publicKeys = await keys.publicKeys();
      // Verifiers cache this; a short max-age bounds how long a new key stays unknown to them.
      return reply.header('cache-control', 'public, max-age=300').send({ keys: publicKeys });
    },
  );
}
