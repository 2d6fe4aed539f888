import { embeddedDatabase } from '../../test/helpers.js';
import { SqliteUserStore } from './sqlite-user-store.js';
import { describeUserStore } from './user-store.contract.js';

describeUserStore('SQLite', () => new SqliteUserStore(embeddedDatabase()));
