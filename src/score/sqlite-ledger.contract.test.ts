import { embeddedDatabase } from '../../test/helpers.js';
import { describeLedger } from './ledger.contract.js';
import { SqliteLedger } from './sqlite-ledger.js';

describeLedger('SQLite', (boards) => new SqliteLedger(embeddedDatabase(), boards));
