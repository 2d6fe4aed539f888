import type { JWK } from 'jose';
import { inTransaction, type PostgresPool } from '../platform/postgres.js';
import { FreshValue } from '../platform/fresh-value.js';
import { ACTIVE_KEY_MAX_AGE_MS, type KeyStore, type PublicJwk, type SigningKey } from './key-store.js';
import { generateSigningKey } from './signing-key.js';

interface KeyRow {
  kid: string;
  private_jwk: JWK;
  public_jwk: PublicJwk;
  created_at: Date;
}

export interface PostgresKeyStoreOptions {
  /**
   * How long `publicKeys()` answers from memory. The JWKS route reads it on every request,
   * so a short cache keeps a burst of fetches from becoming a burst of queries.
   * @default 5000
   */
  publicKeysCacheMs?: number;
}

/**
 * Distributed `KeyStore`: the `signing_keys` table every auth node and verifier shares
 * (expects `AUTH_POSTGRES_MIGRATIONS` applied). The row marked `active` signs; every key
 * stays listed, so restarts never invalidate issued tokens.
 */
export class PostgresKeyStore implements KeyStore {
  /** Shared while fresh: concurrent first calls share one read (and at most one generated key). */
  private readonly active = new FreshValue(() => this.loadOrCreate(), ACTIVE_KEY_MAX_AGE_MS);
  private readonly listed: FreshValue<PublicJwk[]>;

  constructor(
    private readonly pool: PostgresPool,
    options: PostgresKeyStoreOptions = {},
  ) {
    this.listed = new FreshValue(() => this.readPublicKeys(), options.publicKeysCacheMs ?? 5_000);
  }

  activeSigningKey(): Promise<SigningKey> {
    return this.active.get();
  }

  async rotate(): Promise<SigningKey> {
    const key = await generateSigningKey();
    await inTransaction(this.pool, async (client) => {
      await client.query('UPDATE signing_keys SET active = NULL WHERE active');
      await client.query('INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at, active) VALUES ($1, $2, $3, $4, TRUE)', [
        key.kid,
        JSON.stringify(key.privateJwk),
        JSON.stringify(key.publicJwk),
        key.createdAt,
      ]);
    });
    this.active.forget();
    this.listed.forget();
    return key;
  }

  async retire(replacedBefore: Date): Promise<string[]> {
    // A key was replaced when the next key (by creation) was created.
    const { rows } = await this.pool.query<{ kid: string }>(
      `DELETE FROM signing_keys k
       WHERE k.active IS NULL
         AND (SELECT min(n.created_at) FROM signing_keys n WHERE n.created_at > k.created_at) < $1
       RETURNING k.kid`,
      [replacedBefore],
    );
    this.listed.forget();
    return rows.map((row) => row.kid);
  }

  publicKeys(): Promise<PublicJwk[]> {
    return this.listed.get();
  }

  private async loadOrCreate(): Promise<SigningKey> {
    const existing = await this.readActive();
    if (existing) return existing;
    const candidate = await generateSigningKey();
    // Several auth processes may start on an empty table at once: the unique `active` slot
    // lets exactly one INSERT in; the others do nothing (after waiting for the winner to commit).
    await this.pool.query(
      `INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at, active) VALUES ($1, $2, $3, $4, TRUE)
       ON CONFLICT (active) DO NOTHING`,
      [candidate.kid, JSON.stringify(candidate.privateJwk), JSON.stringify(candidate.publicJwk), candidate.createdAt],
    );
    // A new statement, hence a new snapshot: it sees the winner's row whoever inserted it.
    const winner = await this.readActive();
    if (!winner) throw new Error('signing_keys has no active key right after inserting one');
    this.listed.forget();
    return winner;
  }

  private async readActive(): Promise<SigningKey | undefined> {
    const { rows } = await this.pool.query<KeyRow>('SELECT kid, private_jwk, public_jwk, created_at FROM signing_keys WHERE active');
    const row = rows[0];
    return row && { kid: row.kid, privateJwk: row.private_jwk, publicJwk: row.public_jwk, createdAt: row.created_at };
  }

  private async readPublicKeys(): Promise<PublicJwk[]> {
    const { rows } = await this.pool.query<Pick<KeyRow, 'public_jwk'>>('SELECT public_jwk FROM signing_keys ORDER BY created_at, kid');
    return rows.map((row) => row.public_jwk);
  }
}
