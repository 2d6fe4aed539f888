import { embeddedDatabase } from '../../test/helpers.js';
import { describeBanList } from './ban-list.contract.js';
import { SqliteBanList } from './sqlite-ban-list.js';

describeBanList('SQLite', async () => {
  const db = embeddedDatabase();
  return { list: new SqliteBanList(db), reopen: async () => new SqliteBanList(db) };
});
