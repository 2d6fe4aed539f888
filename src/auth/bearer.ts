import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';
import type { AccessClaims } from './access-token.js';
import type { TokenVerifier } from './token-verifier.js';

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/i;

/** The verified claims of the request's `Authorization: Bearer` token. @throws AppError 401 */
export async function bearerClaims(request: FastifyRequest, verifier: TokenVerifier): Promise<AccessClaims> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (!match?.[1]) {
    throw new AppError('unauthorized', 'Send an access token as "Authorization: Bearer <token>".', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  return verifier.verify(match[1]);
}
