import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { applySqliteMigrations, openSqliteDatabase } from '../platform/sqlite.js';
import { LEADERBOARD_SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { SqliteSeqCounter } from './sqlite-seq-counter.js';

function database() {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'seq.db'));
  onTestFinished(() => void db.close());
  applySqliteMigrations(db, 'leaderboard', LEADERBOARD_SQLITE_MIGRATIONS);
  return db;
}

describe('SqliteSeqCounter', () => {
  it('counts from 1, per board', () => {
    const counter = new SqliteSeqCounter(database());
    expect([counter.nextSeq('global'), counter.nextSeq('global'), counter.nextSeq('daily'), counter.nextSeq('global')]).toEqual([1, 2, 1, 3]);
  });

  it('goes on above every value handed out before, after a restart with no shutdown, writing once a block', () => {
    const db = database();
    const first = new SqliteSeqCounter(db, 10);
    const handedOut = Array.from({ length: 25 }, () => first.nextSeq('global'));
    expect(handedOut.at(-1)).toBe(25);
    // Three blocks of ten reserved: one write each, not one per value.
    expect(db.prepare('SELECT reserved FROM board_seq WHERE board = ?').get('global')).toEqual({ reserved: 30 });

    // The process died: a new counter on the same database skips the rest of the block.
    const second = new SqliteSeqCounter(db, 10);
    expect(second.nextSeq('global')).toBe(31);
    expect(second.nextSeq('global')).toBe(32);
    expect(second.nextSeq('daily')).toBe(1);
  });
});
