/**
 * Usernames by user id, at most `capacity` of them: names never change, and a board asks for
 * the same top users again and again, but a million players looking up their own rank must
 * not keep a million names in memory. The least recently used name goes first.
 */
export class NameCache {
  private readonly names = new Map<string, string>();

  constructor(private readonly capacity = 50_000) {}

  get(userId: string): string | undefined {
    const name = this.names.get(userId);
    if (name !== undefined) {
      // Re-inserted: a Map iterates in insertion order, so the first key is the least recent.
      this.names.delete(userId);
      this.names.set(userId, name);
    }
    return name;
  }

  set(userId: string, name: string): void {
    this.names.delete(userId);
    this.names.set(userId, name);
    if (this.names.size > this.capacity) this.names.delete(this.names.keys().next().value as string);
  }

  get size(): number {
    return this.names.size;
  }
}
