/**
 * The latest use of each credential since the last write: a server submitting a thousand
 * actions a second costs one `last_used_at` write per flush, not one per request.
 */
export class UsesBuffer {
  private latest = new Map<string, number>();

  note(name: string, at: number): void {
    if (at > (this.latest.get(name) ?? Number.NEGATIVE_INFINITY)) this.latest.set(name, at);
  }

  /** What was noted, emptied. */
  take(): Map<string, number> {
    const taken = this.latest;
    this.latest = new Map();
    return taken;
  }
}
