import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from './audit-log.js';
import { storedAuditEntry, type AuditRow } from './buffered-audit-log.js';

/** The buffering every adapter runs the contract with: a long interval, as the contract flushes explicitly. */
export const CONTRACT_BUFFERING = { maxBuffered: 3, flushIntervalMs: 60_000 };

/** A stored row as the contract compares it: the entry as recorded, without its id. */
export function recordedEntry(row: AuditRow): AuditEntry {
  const { id: _id, ...entry } = storedAuditEntry(row);
  return entry;
}

export interface AuditLogFixture {
  log: AuditLog & { close: () => Promise<void> };
  /** Every entry in storage, oldest first, with absent fields left out. */
  stored: () => Promise<AuditEntry[]>;
}

/** The behaviour every `AuditLog` adapter must share. `factory` gives one on empty storage; `maxBuffered` is 3. */
export function describeAuditLog(name: string, factory: () => Promise<AuditLogFixture>): void {
  describe(`AuditLog contract: ${name}`, () => {
    it('keeps what it records once flushed, in order, every field as given', async () => {
      const { log, stored } = await factory();
      const rejected: AuditEntry = { at: 1, event: 'action.rejected', userId: 'u1', ip: '10.0.0.1', actionType: 'click', code: 'cooldown', detail: 'wait' };
      log.record(rejected);
      log.record({ at: 2, event: 'user.banned', userId: 'u2' });
      expect(await stored()).toEqual([]); // buffered until the flush
      await log.flush();
      expect(await stored()).toEqual([rejected, { at: 2, event: 'user.banned', userId: 'u2' }]);
      await log.close();
    });

    it('reads stored entries back newest first, filtered by user and by event, a page at a time', async () => {
      const { log } = await factory();
      const entries: AuditEntry[] = [
        { at: 10, event: 'action.rejected', userId: 'u1', ip: '10.0.0.1', actionType: 'click', code: 'cooldown', detail: 'wait' },
        { at: 11, event: 'action.rejected', userId: 'u2', code: 'daily_cap' },
        { at: 12, event: 'user.banned', userId: 'u1', detail: 'by admin' },
        { at: 13, event: 'action.rejected', userId: 'u1', code: 'too_fast' },
        { at: 14, event: 'user.unbanned', userId: 'u1' },
      ];
      // At most three a flush: the fixture's buffer holds three.
      for (const [i, entry] of entries.entries()) {
        log.record(entry);
        if (i % 3 === 2) await log.flush();
      }
      // The last two are still buffered: not stored, so not read.
      expect((await log.recent({ limit: 10 })).map((entry) => entry.at)).toEqual([12, 11, 10]);
      await log.flush();
      const all = await log.recent({ limit: 10 });
      expect(all.map(({ id: _id, ...entry }) => entry)).toEqual([...entries].reverse());
      const ids = all.map((entry) => BigInt(entry.id));
      expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));

      expect((await log.recent({ userId: 'u1', limit: 10 })).map((entry) => entry.at)).toEqual([14, 13, 12, 10]);
      expect((await log.recent({ event: 'action.rejected', limit: 10 })).map((entry) => entry.at)).toEqual([13, 11, 10]);
      expect((await log.recent({ userId: 'u1', event: 'action.rejected', limit: 10 })).map((entry) => entry.at)).toEqual([13, 10]);
      expect(await log.recent({ userId: 'nobody', limit: 10 })).toEqual([]);

      // Pages: each starts below the last id of the one before.
      const first = await log.recent({ userId: 'u1', limit: 3 });
      expect(first.map((entry) => entry.at)).toEqual([14, 13, 12]);
      const second = await log.recent({ userId: 'u1', limit: 3, beforeId: first.at(-1)?.id });
      expect(second.map((entry) => entry.at)).toEqual([10]);
      expect(await log.recent({ userId: 'u1', limit: 3, beforeId: second.at(-1)?.id })).toEqual([]);
      await log.close();
    });

    it('drops what overflows its buffer instead of growing, and writes the rest on close', async () => {
      const { log, stored } = await factory();
      for (let at = 1; at <= 5; at += 1) log.record({ at, event: 'action.rejected' });
      await log.close();
      expect((await stored()).map((entry) => entry.at)).toEqual([1, 2, 3]);
    });
  });
}
