import { embeddedDatabase } from '../../test/helpers.js';
import { describeRefreshTokenStore, userAdder } from './refresh-token-store.contract.js';
import { SqliteRefreshTokenStore } from './sqlite-refresh-token-store.js';
import { SqliteUserStore } from './sqlite-user-store.js';

describeRefreshTokenStore('SQLite', async () => {
  const db = embeddedDatabase();
  return { store: new SqliteRefreshTokenStore(db), addUser: userAdder(new SqliteUserStore(db)) };
});
