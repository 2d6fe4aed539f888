import { describe, expect, it } from 'vitest';
import { cheapHasher } from '../../test/helpers.js';
import { PasswordHasher } from './password-hasher.js';

describe('PasswordHasher', () => {
  const hasher = cheapHasher();

  it('verifies the password it hashed and nothing else', async () => {
    const hash = await hasher.hash('correct horse');
    expect(await hasher.verify('correct horse', hash)).toBe(true);
    expect(await hasher.verify('correct horsE', hash)).toBe(false);
    expect(await hasher.verify('', hash)).toBe(false);
  });

  it('salts every hash and never stores the password', async () => {
    const [a, b] = await Promise.all([hasher.hash('same password'), hasher.hash('same password')]);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password');
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
  });

  it('keeps verifying hashes made at another cost, since the cost travels with the hash', async () => {
    const old = await new PasswordHasher({ N: 2 ** 11, r: 8, p: 1 }).hash('pa55word!');
    expect(await hasher.verify('pa55word!', old)).toBe(true);
  });

  it('treats NFC and NFD spellings of a password as the same password', async () => {
    const hash = await hasher.hash('caf\u00e9-password');
    expect(await hasher.verify('cafe\u0301-password', hash)).toBe(true);
  });

  it('answers false for an unknown user (no hash) after doing the same work', async () => {
    expect(await hasher.verify('anything-at-all', undefined)).toBe(false);
  });

  it('answers false for a corrupt stored hash instead of throwing', async () => {
    expect(await hasher.verify('whatever1', 'bcrypt$garbage')).toBe(false);
    expect(await hasher.verify('whatever1', 'scrypt$1024$8$1$c2FsdA$dG9vc2hvcnQ')).toBe(false);
  });
});
