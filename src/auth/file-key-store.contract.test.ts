import path from 'node:path';
import { temporaryDirectory } from '../../test/helpers.js';
import { FileKeyStore } from './file-key-store.js';
import { describeKeyStore } from './key-store.contract.js';

describeKeyStore('file under DATA_DIR', async () => {
  const file = path.join(temporaryDirectory(), 'nested', 'signing-keys.json');
  return { store: new FileKeyStore(file), reopen: () => new FileKeyStore(file) };
});
