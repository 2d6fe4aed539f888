/**
 * The action side of `bench/fanout-load.ts`, in its own process: says 'ready' once loaded,
 * then fires clicks at a fixed rate and reports when each was accepted, indexed by the score
 * it brought the user to: `acceptedAt` when this process read the `201` (epoch ms), and
 * `serverAt` the action's time as the server stamped it (`action.at`).
 */
interface Fire {
  cmd: 'fire';
  url: string;
  token: string;
  rate: number;
  seconds: number;
  /** The user's score before the first action. */
  startScore: number;
}

process.once('message', (message: Fire) => {
  void (async () => {
    const acceptedAt: (number | null)[] = [];
    const serverAt: (number | null)[] = [];
    const inFlight: Promise<void>[] = [];
    const started = Date.now();
    let sent = 0;
    /** Requests that got no response (a reset connection, say): reported, not fatal. */
    let failed = 0;
    while (Date.now() - started < message.seconds * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * message.rate);
      while (sent < due) {
        const n = ++sent;
        inFlight.push(
          fetch(`${message.url}/api/v1/actions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${message.token}` },
            body: JSON.stringify({ type: 'click', idempotencyKey: `fanout-${n}-${started}` }),
          }).then(async (response) => {
            const received = Date.now();
            const body = (await response.json()) as { action?: { at?: string }; totals?: { global?: number } };
            const score = body.totals?.global;
            if (response.status !== 201 || score === undefined) return;
            acceptedAt[score] = received;
            serverAt[score] = Date.parse(body.action?.at ?? '');
          }, () => {
            failed += 1;
          }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(inFlight);
    process.send?.({ cmd: 'fired', acceptedAt, serverAt, sent, failed });
  })();
});
process.send?.({ cmd: 'ready' });
