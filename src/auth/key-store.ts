import type { JWK } from 'jose';

/** An Ed25519 public key as `/.well-known/jwks.json` lists it. */
export interface PublicJwk extends JWK {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** An Ed25519 signing key pair as JWKs; `kid` is the public key's RFC 7638 thumbprint. */
export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: PublicJwk;
  createdAt: Date;
}

/** A rotation takes effect on running processes within this long: they re-read the active key no less often. */
export const ACTIVE_KEY_MAX_AGE_MS = 10_000;

/**
 * Port: where signing keys live, shared by every auth node and read by every verifier
 * (a file under DATA_DIR embedded, PostgreSQL distributed). Old keys stay listed so tokens
 * signed before a rotation or restart keep verifying until they expire.
 */
export interface KeyStore {
  /**
   * The key to sign with; the first call on an empty store generates and keeps one. Read
   * again at most `ACTIVE_KEY_MAX_AGE_MS` after the last read, so a rotation made by
   * another process (`npm run keys -- rotate`) reaches running auth nodes.
   */
  activeSigningKey(): Promise<SigningKey>;
  /** Every public key a valid token may name in its `kid`, oldest first. */
  publicKeys(): Promise<PublicJwk[]>;
  /** Generates a new key and makes it the one to sign with; the earlier keys stay listed. */
  rotate(): Promise<SigningKey>;
  /**
   * Stops listing every key replaced (a newer key created) before `replacedBefore`: tokens
   * those keys signed no longer verify. The active key is never retired. Answers the kids retired.
   */
  retire(replacedBefore: Date): Promise<string[]>;
}
