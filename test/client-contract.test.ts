import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTRACT_FILE, generateContract } from '../scripts/client-contract.js';

describe('the client library contract', () => {
  it('is generated from the server it ships with (npm run client:contract after a schema change)', async () => {
    const fresh = await generateContract();
    expect(fresh).toContain('ServerMessage:');
    expect(fs.readFileSync(CONTRACT_FILE, 'utf8')).toBe(fresh);
  });
});
