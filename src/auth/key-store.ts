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

/**
 * Port: where signing keys live, shared by every auth node and read by every verifier
 * (a file under DATA_DIR embedded, PostgreSQL distributed). Old keys stay listed so tokens
 * signed before a rotation or restart keep verifying until they expire.
 */
export interface KeyStore {
  /** The key to sign with; the first call on an empty store generates and keeps one. */
  activeSigningKey(): Promise<SigningKey>;
  /** Every public key a valid token may name in its `kid`. */
  publicKeys(): Promise<PublicJwk[]>;
}
