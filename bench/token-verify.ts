/**
 * Micro-benchmark of the token verifier: how many access tokens a second one core checks
 * with a cold cache (every token new: a full Ed25519 signature check) and with a warm one
 * (a hot client presenting the same token again). Run: `npm run bench:verify`.
 */
import { performance } from 'node:perf_hooks';
import { keyStoreResolver } from '../src/auth/key-resolvers.js';
import type { KeyStore, PublicJwk, SigningKey } from '../src/auth/key-store.js';
import { generateSigningKey } from '../src/auth/signing-key.js';
import { TokenIssuer } from '../src/auth/token-issuer.js';
import { TokenVerifier } from '../src/auth/token-verifier.js';

const TOKENS = Number(process.env.TOKENS ?? 20_000);
const WARM_ROUNDS = Number(process.env.WARM_ROUNDS ?? 50);

const key: SigningKey = await generateSigningKey();
const store: Pick<KeyStore, 'activeSigningKey' | 'publicKeys'> = {
  activeSigningKey: async () => key,
  publicKeys: async (): Promise<PublicJwk[]> => [key.publicJwk],
};
const issuer = new TokenIssuer(store);
const tokens: string[] = [];
for (let i = 0; i < TOKENS; i += 1) tokens.push((await issuer.issue(`user-${i}`, [])).accessToken);

async function measure(label: string, verifier: TokenVerifier, sequence: Iterable<string>): Promise<number> {
  let count = 0;
  const started = performance.now();
  for (const token of sequence) {
    await verifier.verify(token);
    count += 1;
  }
  const perSecond = Math.round(count / ((performance.now() - started) / 1000));
  process.stderr.write(`${label.padEnd(34)} ${perSecond.toLocaleString('en-US').padStart(12)} verifications/s (${count} calls)\n`);
  return perSecond;
}

// Cold: a cache big enough to hold everything, but every token is seen for the first time.
const cold = await measure('cold (signature check each time)', new TokenVerifier(keyStoreResolver(store), { cacheSize: TOKENS }), tokens);

const warmVerifier = new TokenVerifier(keyStoreResolver(store), { cacheSize: TOKENS });
const hot = tokens.slice(0, 1_000);
for (const token of hot) await warmVerifier.verify(token);
function* repeated(): Generator<string> {
  for (let round = 0; round < WARM_ROUNDS; round += 1) yield* hot;
}
const warm = await measure('warm (cached verified token)', warmVerifier, repeated());

console.log(JSON.stringify({ coldVerificationsPerSec: cold, warmVerificationsPerSec: warm, speedup: Number((warm / cold).toFixed(1)) }));
