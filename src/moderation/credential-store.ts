/** A game server's credential as stored: never its secret, only the secret's SHA-256. */
export interface StoredCredential {
  /** `[a-z0-9-]{1,40}`, unique. */
  name: string;
  /** SHA-256 of the secret, hex. */
  secretHash: string;
  /** ms since the epoch */
  createdAt: number;
  /** ms since the epoch; undefined until first used. */
  lastUsedAt?: number;
}

/** Thrown by `CredentialStore.create` for a name in use. */
export class CredentialNameTakenError extends Error {
  override readonly name = 'CredentialNameTakenError';
}

/**
 * Port: the server credentials game servers submit actions with. Looked up on every server
 * request by the hash of the secret presented, so adapters answer `findByHash` without a
 * round trip per request where they can, and drop a revoked credential at once.
 */
export interface CredentialStore {
  /** @throws CredentialNameTakenError */
  create(credential: Omit<StoredCredential, 'lastUsedAt'>): Promise<void>;
  /** Every credential, by name; no secrets. */
  list(): Promise<StoredCredential[]>;
  /** @returns true when there was one by that name */
  revoke(name: string): Promise<boolean>;
  /** The credential whose secret hashes to `secretHash`, or undefined (unknown or revoked). */
  findByHash(secretHash: string): Promise<{ name: string } | undefined>;
  /** Notes a use; written in batches, so a request costs no write. */
  markUsed(name: string, at: number): void;
  /** Writes the uses noted so far. */
  flush(): Promise<void>;
}

/** A `server_credentials` row as both adapters read it. */
export interface CredentialRow {
  name: string;
  secret_hash: string;
  created_at: number | string;
  last_used_at: number | string | null;
}

export function toCredential(row: CredentialRow): StoredCredential {
  return {
    name: row.name,
    secretHash: row.secret_hash,
    createdAt: Number(row.created_at),
    ...(row.last_used_at === null ? {} : { lastUsedAt: Number(row.last_used_at) }),
  };
}
