import type { EventBus } from '../platform/event-bus.js';
import type { PostgresPool } from '../platform/postgres.js';
import { CredentialNameTakenError, toCredential, type CredentialRow, type CredentialStore, type StoredCredential } from './credential-store.js';
import { UsesBuffer } from './uses-buffer.js';

const UNIQUE_VIOLATION = '23505';

/**
 * `CredentialStore` on PostgreSQL, shared by every node. A lookup is answered from this
 * node's map of secret hashes (no round trip per server request); a hash it does not know
 * is asked of the database (a credential created on another node). A revocation reaches
 * every node as a `credential.revoked` event over the bus, and each node also re-reads the
 * table periodically (`reload`), in case pub/sub dropped the message.
 */
export class PostgresCredentialStore implements CredentialStore {
  private known = new Map<string, string>();
  /**
   * Names revoked while a read of the table was on its way back. The read may have started
   * before the revoking node's DELETE, so its rows must not bring them back into `known`.
   */
  private readonly revokedDuringReads = new Set<string>();
  private readsInFlight = 0;
  private readonly uses = new UsesBuffer();
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly pool: PostgresPool,
    bus: EventBus,
  ) {
    this.unsubscribe = bus.subscribe('credential.revoked', (event) => this.forget(event.name));
  }

  static async open(pool: PostgresPool, bus: EventBus): Promise<PostgresCredentialStore> {
    const store = new PostgresCredentialStore(pool, bus);
    await store.reload();
    return store;
  }

  async create(credential: Omit<StoredCredential, 'lastUsedAt'>): Promise<void> {
    try {
      await this.pool.query('INSERT INTO server_credentials (name, secret_hash, created_at) VALUES ($1, $2, $3)', [
        credential.name,
        credential.secretHash,
        credential.createdAt,
      ]);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new CredentialNameTakenError(credential.name);
      throw error;
    }
    this.known.set(credential.secretHash, credential.name);
  }

  async list(): Promise<StoredCredential[]> {
    const { rows } = await this.pool.query<CredentialRow>(
      'SELECT name, secret_hash, created_at, last_used_at FROM server_credentials ORDER BY name',
    );
    return rows.map(toCredential);
  }

  async revoke(name: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM server_credentials WHERE name = $1', [name]);
    this.forget(name);
    return (rowCount ?? 0) > 0;
  }

  async findByHash(secretHash: string): Promise<{ name: string } | undefined> {
    const name = this.known.get(secretHash);
    if (name !== undefined) return { name };
    const [found] = await this.readTable(() => this.pool.query<{ name: string }>('SELECT name FROM server_credentials WHERE secret_hash = $1', [secretHash]));
    if (found) this.known.set(secretHash, found.name);
    return found;
  }

  markUsed(name: string, at: number): void {
    this.uses.note(name, at);
  }

  async flush(): Promise<void> {
    const uses = [...this.uses.take()];
    if (uses.length === 0) return;
    await this.pool.query(
      `UPDATE server_credentials c SET last_used_at = GREATEST(COALESCE(c.last_used_at, 0), u.at)
       FROM unnest($1::text[], $2::bigint[]) AS u(name, at) WHERE c.name = u.name`,
      [uses.map(([name]) => name), uses.map(([, at]) => at)],
    );
  }

  /** Re-reads every secret hash: what another node revoked while pub/sub was away goes. */
  async reload(): Promise<void> {
    const rows = await this.readTable(() => this.pool.query<{ name: string; secret_hash: string }>('SELECT name, secret_hash FROM server_credentials'));
    this.known = new Map(rows.map((row) => [row.secret_hash, row.name]));
  }

  private forget(name: string): void {
    for (const [hash, known] of this.known) if (known === name) this.known.delete(hash);
    if (this.readsInFlight > 0) this.revokedDuringReads.add(name);
  }

  /** The rows of a read of the table, less any credential revoked while it was on its way. */
  private async readTable<Row extends { name: string }>(read: () => Promise<{ rows: Row[] }>): Promise<Row[]> {
    this.readsInFlight += 1;
    try {
      const { rows } = await read();
      return rows.filter((row) => !this.revokedDuringReads.has(row.name));
    } finally {
      this.readsInFlight -= 1;
      if (this.readsInFlight === 0) this.revokedDuringReads.clear();
    }
  }

  close(): void {
    this.unsubscribe();
  }
}
