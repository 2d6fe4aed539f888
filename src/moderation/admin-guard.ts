import type { FastifyRequest } from 'fastify';
import { bearerClaims, type AccessClaims, type TokenVerifier } from '../auth/index.js';
import { AppError } from '../platform/errors.js';

/** Checks the request's bearer token, then the admin role: `401` without a valid token, `403` without the role. */
export type AdminGuard = (request: FastifyRequest, doing: string) => Promise<AccessClaims>;

export function adminGuard(verifier: TokenVerifier): AdminGuard {
  return async (request, doing) => {
    const claims = await bearerClaims(request, verifier);
    if (!claims.roles.includes('admin')) throw new AppError('forbidden', `Only an admin can ${doing}.`);
    return claims;
  };
}
