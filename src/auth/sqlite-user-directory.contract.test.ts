import { embeddedDatabase } from '../../test/helpers.js';
import { SqliteUserDirectory } from './sqlite-user-directory.js';
import { describeUserDirectory } from './user-directory.contract.js';

describeUserDirectory('SQLite', async () => {
  const db = embeddedDatabase();
  const insert = db.prepare("INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, 'x', '2026-11-27')");
  return { directory: new SqliteUserDirectory(db), addUser: async (id, username) => void insert.run(id, username, username.toLowerCase()) };
});
