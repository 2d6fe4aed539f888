import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { AppError } from '../platform/errors.js';
import { FileKeyStore } from './file-key-store.js';
import { keyStoreResolver } from './key-resolvers.js';
import { ACTIVE_KEY_MAX_AGE_MS } from './key-store.js';
import { TokenIssuer } from './token-issuer.js';
import { TokenVerifier } from './token-verifier.js';

const kidOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;

afterEach(() => void vi.useRealTimers());

describe('key rotation on running processes', () => {
  it('reaches a running issuer within ACTIVE_KEY_MAX_AGE_MS; a retired key stops verifying once verifiers re-read the list', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const file = path.join(temporaryDirectory(), 'signing-keys.json');
    const server = new FileKeyStore(file); // the running auth node's handle
    const operator = new FileKeyStore(file); // `npm run keys`, another process
    const issuer = new TokenIssuer(server);
    const resolver = keyStoreResolver(server);
    const verify = (token: string) => new TokenVerifier(resolver).verify(token); // no token cache between calls

    const before = (await issuer.issue('user-1', [])).accessToken;
    const rotated = await operator.rotate();
    // The node still signs with the key it read less than ACTIVE_KEY_MAX_AGE_MS ago…
    expect(kidOf((await issuer.issue('user-1', [])).accessToken)).toBe(kidOf(before));
    vi.setSystemTime(Date.now() + ACTIVE_KEY_MAX_AGE_MS);
    // …and with the new one after.
    const after = (await issuer.issue('user-1', [])).accessToken;
    expect(kidOf(after)).toBe(rotated.kid);
    await expect(verify(before)).resolves.toMatchObject({ userId: 'user-1' });
    await expect(verify(after)).resolves.toMatchObject({ userId: 'user-1' });

    // Retire every replaced key now (an emergency): the verifier's list is re-read after a minute.
    expect(await operator.retire(new Date())).toEqual([kidOf(before)]);
    vi.setSystemTime(Date.now() + 60_000);
    await verify(before); // answered from the old list while the new one is read
    let refused: unknown;
    for (let i = 0; i < 50 && !(refused instanceof AppError); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      refused = await verify(before).catch((error: unknown) => error);
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('unauthorized');
    await expect(verify(after)).resolves.toMatchObject({ userId: 'user-1' });
  });
});
