import { describe } from 'vitest';
import { emptied, migratedPostgresPool } from '../../test/infrastructure.js';
import { describeLedger } from './ledger.contract.js';
import { PostgresLedger } from './postgres-ledger.js';

const pool = await migratedPostgresPool();

describe.skipIf(!pool)('PostgresLedger', () => {
  // Every score table emptied per test; sequences keep growing, as in production.
  describeLedger(
    'PostgreSQL',
    async (boards) => new PostgresLedger(await emptied(pool, 'ledger, board_totals, outbox, action_state, used_tickets, board_definitions'), { owner: 'node-a', boards }),
  );
});
