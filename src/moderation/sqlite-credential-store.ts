import type { SqliteDatabase } from '../platform/sqlite.js';
import type { CredentialRow } from './credential-store.js';
import { CredentialNameTakenError, toCredential, type CredentialStore, type StoredCredential } from './credential-store.js';
import { UsesBuffer } from './uses-buffer.js';

/**
 * `CredentialStore` on the embedded database. A lookup is one indexed read of a local file
 * (microseconds), so every request asks the table itself: a credential revoked by the admin
 * route or by `npm run credentials` beside the running server stops working at once.
 */
export class SqliteCredentialStore implements CredentialStore {
  private readonly statements;
  private readonly uses = new UsesBuffer();

  constructor(db: SqliteDatabase) {
    this.statements = {
      insert: db.prepare('INSERT INTO server_credentials (name, secret_hash, created_at) VALUES (?, ?, ?)'),
      all: db.prepare<[], CredentialRow>('SELECT name, secret_hash, created_at, last_used_at FROM server_credentials ORDER BY name'),
      remove: db.prepare('DELETE FROM server_credentials WHERE name = ?'),
      byHash: db.prepare<[string], { name: string }>('SELECT name FROM server_credentials WHERE secret_hash = ?'),
      used: db.prepare('UPDATE server_credentials SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE name = ?'),
    };
  }

  async create(credential: Omit<StoredCredential, 'lastUsedAt'>): Promise<void> {
    try {
      this.statements.insert.run(credential.name, credential.secretHash, credential.createdAt);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new CredentialNameTakenError(credential.name);
      throw error;
    }
  }

  async list(): Promise<StoredCredential[]> {
    return this.statements.all.all().map(toCredential);
  }

  async revoke(name: string): Promise<boolean> {
    return this.statements.remove.run(name).changes > 0;
  }

  async findByHash(secretHash: string): Promise<{ name: string } | undefined> {
    return this.statements.byHash.get(secretHash);
  }

  markUsed(name: string, at: number): void {
    this.uses.note(name, at);
  }

  async flush(): Promise<void> {
    for (const [name, at] of this.uses.take()) this.statements.used.run(at, name);
  }
}
