/**
 * A value read at most once per `maxAgeMs`: callers share the pending or last read while it
 * is fresh (so concurrent first calls make one read), and a failed read is forgotten at once,
 * so the next caller tries again instead of being served the failure until it ages out.
 */
export class FreshValue<T> {
  private entry: { value: Promise<T>; readAt: number } | undefined;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly maxAgeMs: number,
  ) {}

  get(): Promise<T> {
    const now = Date.now();
    if (this.entry === undefined || now - this.entry.readAt >= this.maxAgeMs) {
      const entry = { value: this.read(), readAt: now };
      this.entry = entry;
      entry.value.catch(() => {
        if (this.entry === entry) this.entry = undefined;
      });
    }
    return this.entry.value;
  }

  /** The next `get` reads again (this process changed the value). */
  forget(): void {
    this.entry = undefined;
  }
}
