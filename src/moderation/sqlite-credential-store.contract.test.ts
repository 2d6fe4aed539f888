import { embeddedDatabase } from '../../test/helpers.js';
import { describeCredentialStore } from './credential-store.contract.js';
import { SqliteCredentialStore } from './sqlite-credential-store.js';

describeCredentialStore('SQLite', async () => {
  const db = embeddedDatabase();
  return { store: new SqliteCredentialStore(db), reopen: async () => new SqliteCredentialStore(db) };
});
