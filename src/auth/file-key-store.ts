import fs from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import { FreshValue } from '../platform/fresh-value.js';
import { ACTIVE_KEY_MAX_AGE_MS, type KeyStore, type PublicJwk, type SigningKey } from './key-store.js';
import { generateSigningKey } from './signing-key.js';

interface KeyFile {
  keys: { kid: string; privateJwk: JWK; publicJwk: PublicJwk; createdAt: string }[];
}

/**
 * Embedded `KeyStore`: a JSON file under DATA_DIR, readable by its owner only. The newest
 * key signs; every key stays listed, so restarts never invalidate issued tokens.
 */
export class FileKeyStore implements KeyStore {
  // Shared while fresh: concurrent first calls must not each generate (and race to write) a key.
  private readonly active = new FreshValue(() => this.loadOrCreate(), ACTIVE_KEY_MAX_AGE_MS);

  constructor(private readonly file: string) {}

  activeSigningKey(): Promise<SigningKey> {
    return this.active.get();
  }

  async publicKeys(): Promise<PublicJwk[]> {
    return (await this.read()).map((key) => key.publicJwk);
  }

  async rotate(): Promise<SigningKey> {
    const key = await generateSigningKey();
    await this.write([...(await this.read()), key]);
    this.active.forget();
    return key;
  }

  async retire(replacedBefore: Date): Promise<string[]> {
    const keys = await this.read();
    // Oldest first: a key was replaced when the one after it was created.
    const retired = keys.filter((key, i) => i < keys.length - 1 && (keys[i + 1] as SigningKey).createdAt < replacedBefore);
    if (retired.length > 0) await this.write(keys.filter((key) => !retired.includes(key)));
    return retired.map((key) => key.kid);
  }

  private async loadOrCreate(): Promise<SigningKey> {
    const keys = await this.read();
    const newest = keys.at(-1);
    if (newest) return newest;
    const key = await generateSigningKey();
    await this.write([key]);
    return key;
  }

  private async read(): Promise<SigningKey[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = JSON.parse(text) as KeyFile;
    return parsed.keys.map((key) => ({ ...key, createdAt: new Date(key.createdAt) }));
  }

  private async write(keys: SigningKey[]): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const body: KeyFile = { keys: keys.map((key) => ({ ...key, createdAt: key.createdAt.toISOString() })) };
    // Write-then-rename so a crash mid-write never leaves a torn key file behind.
    const temporary = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, JSON.stringify(body, null, 2), { mode: 0o600 });
    await fs.rename(temporary, this.file);
  }
}
