import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { PublicJwk, SigningKey } from './key-store.js';

/** The one algorithm tokens are signed and verified with; anything else is refused. */
export const SIGNING_ALGORITHM = 'EdDSA' as const;

/** A fresh Ed25519 key pair whose `kid` is its public key's RFC 7638 thumbprint. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const { x } = await exportJWK(publicKey);
  if (x === undefined) throw new Error('Ed25519 public key exported without "x"');
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x });
  const publicJwk: PublicJwk = { kty: 'OKP', crv: 'Ed25519', x, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  return { kid, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALGORITHM }, publicJwk, createdAt: new Date() };
}
