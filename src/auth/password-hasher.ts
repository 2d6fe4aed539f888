import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  /** CPU/memory cost, a power of two. @default 32768 (2^15: ~32 MiB and tens of ms a hash) */
  N: number;
  /** @default 8 */
  r: number;
  /** @default 1 */
  p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/**
 * Slow salted password hashes with scrypt from `node:crypto` (runs on libuv's thread pool,
 * so hashing never blocks the event loop). The cost travels inside each hash, so raising
 * it later keeps old hashes verifiable.
 *
 * Format: `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>`.
 */
export class PasswordHasher {
  /**
   * Verified against when a username does not exist, so an unknown user costs the same
   * time as a wrong password and timing does not reveal which names are taken.
   */
  private decoy: Promise<string> | undefined;

  constructor(private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(password, salt, this.cost);
    const { N, r, p } = this.cost;
    return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** Constant-time comparison; `undefined` (unknown user) does the same work and returns false. */
  async verify(password: string, encoded: string | undefined): Promise<boolean> {
    this.decoy ??= this.hash(randomBytes(16).toString('hex'));
    const parsed = parseHash(encoded ?? (await this.decoy));
    if (!parsed) return false;
    const key = await derive(password, parsed.salt, parsed.cost);
    return timingSafeEqual(key, parsed.key) && encoded !== undefined;
  }
}

function derive(password: string, salt: Buffer, { N, r, p }: ScryptCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly 2^15·8·128, too tight.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function parseHash(encoded: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | undefined {
  const [scheme, N, r, p, salt, key] = encoded.split('$');
  if (scheme !== 'scrypt' || !N || !r || !p || !salt || !key) return undefined;
  const keyBytes = Buffer.from(key, 'base64url');
  if (keyBytes.length !== KEY_LENGTH) return undefined;
  return { cost: { N: Number(N), r: Number(r), p: Number(p) }, salt: Buffer.from(salt, 'base64url'), key: keyBytes };
}
