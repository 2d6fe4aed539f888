/**
 * The auth service's front door: what the composition root builds it from, and what other
 * services may use — token verification and usernames. Everything else in this folder is
 * private to it (the lint rule in eslint.config.js enforces that).
 */
export { createAuthService, type AuthDeps } from './create-auth-service.js';
export type { AccessClaims, Role } from './access-token.js';
export { bearerClaims } from './bearer.js';
export type { TokenVerifier } from './token-verifier.js';
export type { FoundUser, UserDirectory, UserSearch } from './user-directory.js';
