import { describe, expect, it } from 'vitest';
import { embeddedDatabase } from '../../test/helpers.js';
import { InMemoryBoardStore } from './in-memory-board-store.js';
import { SqliteSeqFloor } from './sqlite-seq-floor.js';

describe('InMemoryBoardStore seq, across restarts of an embedded process', () => {
  it('starts again above every seq handed out before, even after a crash, with one write per block', async () => {
    const db = embeddedDatabase();
    const first = new InMemoryBoardStore(new SqliteSeqFloor(db, 10));
    const handedOut = await Promise.all(Array.from({ length: 25 }, () => first.nextSeq('global')));
    expect(handedOut).toEqual(Array.from({ length: 25 }, (_, i) => i + 1)); // concurrent callers never share a value
    expect(db.prepare('SELECT reserved FROM board_seq').all()).toEqual([{ reserved: 33 }]); // written at 1 (up to 11), 12 (22) and 23 (33)

    const restarted = new InMemoryBoardStore(new SqliteSeqFloor(db, 10)); // no shutdown: the reservation is all there is
    expect([await restarted.nextSeq('global'), await restarted.nextSeq('global'), await restarted.nextSeq('daily')]).toEqual([34, 35, 1]);
  });
});
