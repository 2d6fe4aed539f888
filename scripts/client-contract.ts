/**
 * Generates the client library's contract types (`packages/client/src/contract.generated.ts`)
 * from the server's own OpenAPI document: the route schemas, and the WebSocket frames published
 * as components. One source, so the library cannot drift from the server it talks to.
 *
 *   npm run client:contract            writes the file
 *   npm run client:contract -- --check fails (exit 1) when the file is out of date
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/platform/config.js';
import { embeddedStorage } from '../src/storage/embedded-storage.js';

export const CONTRACT_FILE = fileURLToPath(new URL('../packages/client/src/contract.generated.ts', import.meta.url));

const HEADER = `/**
 * The server's contract as types: generated from its /openapi.json by \`npm run client:contract\`
 * (scripts/client-contract.ts). Do not edit by hand; a test fails when it is out of date.
 */
`;

/** The OpenAPI document of a server running every service, as `GET /openapi.json` serves it. */
async function openApiDocument(): Promise<object> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llb-contract-'));
  const config = loadConfig({ DATA_DIR: dataDir, SERVICES: 'auth,score,leaderboard,realtime', LOG_LEVEL: 'silent' });
  const composed = await compose(config, embeddedStorage);
  try {
    await composed.app.ready();
    return composed.app.swagger();
  } finally {
    await composed.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function generateContract(): Promise<string> {
  const document = await openApiDocument();
  // openapi-typescript reads JSON Schema; TypeBox's symbol keys are dropped by the round trip.
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)) as Parameters<typeof openapiTS>[0]);
  return HEADER + astToString(ast);
}

async function main(): Promise<void> {
  const fresh = await generateContract();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(CONTRACT_FILE) ? fs.readFileSync(CONTRACT_FILE, 'utf8') : '';
    if (current !== fresh) {
      console.error(`${path.relative(process.cwd(), CONTRACT_FILE)} is out of date: run npm run client:contract`);
      process.exit(1);
    }
    console.log('client contract is up to date');
    return;
  }
  fs.writeFileSync(CONTRACT_FILE, fresh);
  console.log(`wrote ${path.relative(process.cwd(), CONTRACT_FILE)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
