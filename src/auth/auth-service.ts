import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../platform/errors.js';
import type { AccessClaims, Role } from './access-token.js';
import type { LoginLimiter } from './login-limiter.js';
import type { PasswordHasher } from './password-hasher.js';
import type { RefreshTokenStore } from './refresh-token-store.js';
import type { TokenIssuer } from './token-issuer.js';
import { UsernameTakenError, type UserRecord, type UserStore } from './user-store.js';

/** @default 30 days */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
}

export interface PublicUser {
  id: string;
  username: string;
}

export interface AuthServiceDeps {
  users: UserStore;
  refreshTokens: RefreshTokenStore;
  issuer: TokenIssuer;
  hasher: PasswordHasher;
  /** Brute-force limits on login; none when undefined. */
  loginLimiter?: LoginLimiter;
  /** Lower-cased usernames that carry the `admin` role. */
  adminUsers: ReadonlySet<string>;
  /** @default REFRESH_TOKEN_TTL_MS */
  refreshTtlMs?: number;
  /** @default Date.now */
  now?: () => number;
}

const WRONG_CREDENTIALS = 'Wrong username or password.';
const BAD_REFRESH_TOKEN = 'The refresh token is invalid, expired or already used; log in again.';

/** Registration, login and the refresh-token lifecycle. HTTP-free: `routes.ts` adapts it. */
export class AuthService {
  private readonly refreshTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly deps: AuthServiceDeps) {
    this.refreshTtlMs = deps.refreshTtlMs ?? REFRESH_TOKEN_TTL_MS;
    this.now = deps.now ?? Date.now;
  }

  async register(username: string, password: string): Promise<PublicUser> {
    const user: UserRecord = {
      id: randomUUID(),
      username,
      passwordHash: await this.deps.hasher.hash(password),
      createdAt: new Date(this.now()),
    };
    try {
      await this.deps.users.create(user);
    } catch (error) {
      if (error instanceof UsernameTakenError) throw new AppError('conflict', `The username ${username} is taken.`);
      throw error;
    }
    return { id: user.id, username: user.username };
  }

  /** @param ip the client's address, for the per-IP attempt limit */
  async login(username: string, password: string, ip: string): Promise<TokenPair> {
    // Before any lookup or hash: a throttled guess must cost next to nothing.
    await this.deps.loginLimiter?.admit(username, ip);
    const user = await this.deps.users.findByUsername(username);
    // Always verify, even for an unknown user (against a decoy hash): equal time either way.
    const valid = await this.deps.hasher.verify(password, user?.passwordHash);
    if (!user || !valid) throw new AppError('unauthorized', WRONG_CREDENTIALS);
    await this.deps.loginLimiter?.succeeded(username, ip);
    return this.startSession(user, randomUUID());
  }

  /** Spends `refreshToken` and hands out a new pair in the same family. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const result = await this.deps.refreshTokens.spend(hashRefreshToken(refreshToken), new Date(this.now()));
    if (result.outcome !== 'spent') throw new AppError('unauthorized', BAD_REFRESH_TOKEN);
    const user = await this.deps.users.findById(result.userId);
    if (!user) throw new AppError('unauthorized', BAD_REFRESH_TOKEN);
    return this.startSession(user, result.familyId);
  }

  /** Ends the session: the token is spent and its family revoked. Unknown tokens are ignored. */
  async logout(refreshToken: string): Promise<void> {
    const now = new Date(this.now());
    const result = await this.deps.refreshTokens.spend(hashRefreshToken(refreshToken), now);
    if (result.outcome === 'spent') await this.deps.refreshTokens.revokeFamily(result.familyId, now);
  }

  async profile(claims: AccessClaims): Promise<PublicUser & { roles: Role[] }> {
    const user = await this.deps.users.findById(claims.userId);
    if (!user) throw new AppError('unauthorized', 'The account behind this token no longer exists.');
    return { id: user.id, username: user.username, roles: [...claims.roles] };
  }

  private async startSession(user: UserRecord, familyId: string): Promise<TokenPair> {
    const roles: Role[] = this.deps.adminUsers.has(user.username.toLowerCase()) ? ['admin'] : [];
    const { accessToken, expiresIn } = await this.deps.issuer.issue(user.id, roles);
    const refreshToken = randomBytes(32).toString('base64url');
    await this.deps.refreshTokens.add({
      tokenHash: hashRefreshToken(refreshToken),
      familyId,
      userId: user.id,
      expiresAt: new Date(this.now() + this.refreshTtlMs),
    });
    return { accessToken, tokenType: 'Bearer', expiresIn, refreshToken };
  }
}

/** Refresh tokens are 256 random bits, so a fast unsalted hash is enough to make a stolen table useless. */
function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
