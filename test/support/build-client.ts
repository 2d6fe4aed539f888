import { execFileSync } from 'node:child_process';

/**
 * Vitest global setup: builds the client library first, since the server serves its modules
 * to the page (`/client/…`) and refuses to start without them.
 */
export default function buildClientLibrary(): void {
  execFileSync('npm', ['run', '--silent', 'build:client'], { stdio: 'inherit' });
}
