import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from './audit-log.js';

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

    it('drops what overflows its buffer instead of growing, and writes the rest on close', async () => {
      const { log, stored } = await factory();
      for (let at = 1; at <= 5; at += 1) log.record({ at, event: 'action.rejected' });
      await log.close();
      expect((await stored()).map((entry) => entry.at)).toEqual([1, 2, 3]);
    });
  });
}
