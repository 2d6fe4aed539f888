import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { FileKeyStore } from './file-key-store.js';

describe('FileKeyStore', () => {
  it('keeps the private key readable by its owner only', async () => {
    const file = path.join(temporaryDirectory(), 'signing-keys.json');
    await new FileKeyStore(file).activeSigningKey();
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });
});
