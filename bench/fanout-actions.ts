/**
 * The action side of `bench/fanout-load.ts`, in its own process: says 'ready' once loaded,
 * then fires clicks at a fixed rate and reports when each was accepted, indexed by the score
 * it brought the user to: `acceptedAt` when this process read the `201` (epoch ms), and
 * `serverAt` the action's time as the server stamped it (`action.at`); and each request's
 * round trip (`submitMs`), to show whether fan-out delays the actions themselves.
 *
 * Plain `node:http` over kept-alive connections, not `fetch`: at 1,000 requests/s `fetch`
 * took 40% of a core, CPU the server under test then did not get on a 2-core machine.
 */
import http from 'node:http';

interface Fire {
  cmd: 'fire';
  url: string;
  token: string;
  rate: number;
  seconds: number;
  /** The user's score before the first action. */
  startScore: number;
}

// No cap on sockets (the default): with a cap, requests would queue in this process whenever
// the server is slower than cap ÷ rate (32 sockets, 40 ms in distributed mode: 800/s).
const agent = new http.Agent({ keepAlive: true });

/** POSTs JSON; resolves with the status, the body and when the response ended (epoch ms). */
function post(url: string, token: string, body: string): Promise<{ status: number; body: string; received: number }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), received: Date.now() }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

process.once('message', (message: Fire) => {
  void (async () => {
    const acceptedAt: (number | null)[] = [];
    const serverAt: (number | null)[] = [];
    const submitMs: number[] = [];
    const inFlight: Promise<void>[] = [];
    const started = Date.now();
    let sent = 0;
    /** Requests that got no response (a reset connection, say): reported, not fatal. */
    let failed = 0;
    while (Date.now() - started < message.seconds * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * message.rate);
      while (sent < due) {
        const n = ++sent;
        const posted = performance.now();
        inFlight.push(
          post(`${message.url}/api/v1/actions`, message.token, JSON.stringify({ type: 'click', idempotencyKey: `fanout-${n}-${started}` })).then(
            ({ status, body, received }) => {
              const parsed = JSON.parse(body) as { action?: { at?: string }; totals?: { global?: number } };
              const score = parsed.totals?.global;
              if (status !== 201 || score === undefined) return;
              submitMs.push(performance.now() - posted);
              acceptedAt[score] = received;
              serverAt[score] = Date.parse(parsed.action?.at ?? '');
            },
            () => {
              failed += 1;
            },
          ),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(inFlight);
    process.send?.({ cmd: 'fired', acceptedAt, serverAt, submitMs, sent, failed });
  })();
});
process.send?.({ cmd: 'ready' });
