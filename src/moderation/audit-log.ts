/** One line of the audit trail: a rejected action, a ban, an unban. */
export interface AuditEntry {
  at: number;
  /** What happened, e.g. `action.rejected`, `user.banned`. */
  event: string;
  userId?: string;
  ip?: string;
  actionType?: string;
  /** The error code of a rejection. */
  code?: string;
  detail?: string;
}

/** An entry as stored: `id` grows with every entry written (a decimal string: ids outgrow 2^53 in PostgreSQL's bigint). */
export interface StoredAuditEntry extends AuditEntry {
  id: string;
}

export interface AuditQuery {
  /** Only this user's entries. */
  userId?: string;
  /** Only entries of this event, e.g. `action.rejected`. */
  event?: string;
  /** Only entries older than this id: the next page after an entry. */
  beforeId?: string;
  limit: number;
}

/**
 * Port: the audit trail. `record` never blocks a request: adapters buffer and write in
 * batches, so a flood of rejected requests costs one insert batch, not one commit each.
 */
export interface AuditLog {
  record(entry: AuditEntry): void;
  flush(): Promise<void>;
  /** Stored entries matching `query`, newest first (what is still buffered is not stored yet). */
  recent(query: AuditQuery): Promise<StoredAuditEntry[]>;
}
