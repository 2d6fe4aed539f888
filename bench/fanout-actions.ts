/**
 * The action side of `bench/fanout.ts`, in its own process: fires clicks at a fixed rate and
 * reports when each was accepted (epoch ms), indexed by the score it brought the user to.
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
    const inFlight: Promise<void>[] = [];
    const started = Date.now();
    let sent = 0;
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
            const body = (await response.json()) as { totals?: { global?: number } };
            const score = body.totals?.global;
            if (response.status === 201 && score !== undefined) acceptedAt[score] = Date.now();
          }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(inFlight);
    process.send?.({ cmd: 'fired', acceptedAt, sent });
  })();
});
