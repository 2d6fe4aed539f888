import { createHash, randomBytes } from 'node:crypto';
import type { EventBus } from '../platform/event-bus.js';
import type { CredentialStore, StoredCredential } from './credential-store.js';

/** `llb_sk_` and 32 random bytes, base64url: what a game server sends as its bearer. */
const SECRET_PATTERN = /^llb_sk_[A-Za-z0-9_-]{43}$/;

/** What the score service asks of a server request's bearer. */
export interface ServerAuthenticator {
  /** The name of the credential whose secret this is, or undefined (malformed, unknown or revoked). */
  authenticate(secret: string): Promise<{ name: string } | undefined>;
}

/** A credential as the admin routes and `npm run credentials` show it. */
export interface CredentialSummary {
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/**
 * Game servers' credentials: made with a secret shown once and kept only as its SHA-256,
 * listed, revoked (every node drops it at once: a `credential.revoked` event), and checked
 * on every server request. The secret is 256 random bits, so a fast hash is right: a slow
 * password hash would only make every request slow, and a lookup keyed by the hash compares
 * nothing an attacker can time.
 */
export class ServerCredentials implements ServerAuthenticator {
  constructor(
    private readonly store: CredentialStore,
    private readonly bus: Pick<EventBus, 'publish'> | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** @returns the secret, which is never shown again @throws CredentialNameTakenError */
  async create(name: string): Promise<{ name: string; secret: string }> {
    const secret = `llb_sk_${randomBytes(32).toString('base64url')}`;
    await this.store.create({ name, secretHash: secretHash(secret), createdAt: this.now() });
    return { name, secret };
  }

  async list(): Promise<CredentialSummary[]> {
    await this.store.flush();
    return (await this.store.list()).map(summary);
  }

  /** @returns false when there was no credential of that name */
  async revoke(name: string): Promise<boolean> {
    const revoked = await this.store.revoke(name);
    if (revoked) await this.bus?.publish({ type: 'credential.revoked', name });
    return revoked;
  }

  async authenticate(secret: string): Promise<{ name: string } | undefined> {
    if (!SECRET_PATTERN.test(secret)) return undefined;
    const found = await this.store.findByHash(secretHash(secret));
    if (found) this.store.markUsed(found.name, this.now());
    return found;
  }
}

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function summary(credential: StoredCredential): CredentialSummary {
  return {
    name: credential.name,
    createdAt: new Date(credential.createdAt).toISOString(),
    lastUsedAt: credential.lastUsedAt === undefined ? null : new Date(credential.lastUsedAt).toISOString(),
  };
}
