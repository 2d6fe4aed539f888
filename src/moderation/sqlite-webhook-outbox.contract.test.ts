import { embeddedDatabase } from '../../test/helpers.js';
import { SqliteWebhookOutbox } from './sqlite-webhook-outbox.js';
import { describeWebhookOutbox } from './webhook-outbox.contract.js';

// One process writes an embedded database: the "other node" is the same outbox.
describeWebhookOutbox('SQLite', async (urls) => {
  const outbox = new SqliteWebhookOutbox(embeddedDatabase(), urls);
  return { outbox, other: outbox };
});
