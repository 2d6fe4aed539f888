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

/**
 * Port: the audit trail. `record` never blocks a request: adapters buffer and write in
 * batches, so a flood of rejected requests costs one insert batch, not one commit each.
 */
export interface AuditLog {
  record(entry: AuditEntry): void;
  flush(): Promise<void>;
}
