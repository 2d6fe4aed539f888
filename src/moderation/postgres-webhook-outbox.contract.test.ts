import { describe } from 'vitest';
import { anotherPostgresProcess, emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { PostgresWebhookOutbox } from './postgres-webhook-outbox.js';
import { describeWebhookOutbox } from './webhook-outbox.contract.js';

const pool = await migratedPostgresPool();

describe.skipIf(!pool)('PostgresWebhookOutbox', () => {
  describeWebhookOutbox('PostgreSQL', async (urls) => {
    const db = await emptied(pool, 'webhook_deliveries, closed_periods, period_watch');
    return { outbox: new PostgresWebhookOutbox(db, urls), other: new PostgresWebhookOutbox(await anotherPostgresProcess(db), urls) };
  });
});
