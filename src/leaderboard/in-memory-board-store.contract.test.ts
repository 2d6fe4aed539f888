import { embeddedDatabase } from '../../test/helpers.js';
import { describeBoardStore } from './board-store.contract.js';
import { InMemoryBoardStore } from './in-memory-board-store.js';
import { SqliteSeqFloor } from './sqlite-seq-floor.js';

describeBoardStore('in-memory', () => new InMemoryBoardStore());
describeBoardStore('in-memory, seq reserved in SQLite (as deployed)', () => new InMemoryBoardStore(new SqliteSeqFloor(embeddedDatabase())));
