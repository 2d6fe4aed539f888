/**
 * The subscriber side of `bench/fanout.ts`, in its own process so clients and server do not
 * share an event loop. Told over IPC to connect N sockets to a URL, it subscribes them to
 * `global` top 10 and records, per socket, each update's top score and arrival time
 * (epoch ms); 'mark' restarts the message count; on 'report' it sends them back, with the
 * count and when it was read, and closes.
 */
import WebSocket from 'ws';

interface Connect {
  cmd: 'connect';
  url: string;
  count: number;
  /** Bare-broadcast baseline: count messages only. */
  countOnly: boolean;
}

const UPDATE_PREFIX = Buffer.from('{"type":"update"');
const SCORE_KEY = Buffer.from('"score":');

/** The first `"score":` number in a frame, read from the bytes. */
function firstScore(data: Buffer): number {
  const at = data.indexOf(SCORE_KEY);
  if (at < 0) return 0;
  let score = 0;
  for (let i = at + SCORE_KEY.length; i < data.length; i += 1) {
    const digit = (data[i] as number) - 48;
    if (digit < 0 || digit > 9) break;
    score = score * 10 + digit;
  }
  return score;
}

let sockets: WebSocket[] = [];
let arrivals: [number, number][][] = [];
let counted = 0;

process.on('message', (message: Connect | { cmd: 'mark' } | { cmd: 'report' } | { cmd: 'exit' }) => {
  void (async () => {
    if (message.cmd === 'connect') {
      counted = 0;
      arrivals = Array.from({ length: message.count }, () => []);
      sockets = await Promise.all(
        Array.from(
          { length: message.count },
          (_, i) =>
            new Promise<WebSocket>((resolve, reject) => {
              const socket = new WebSocket(message.url);
              socket.on('open', () => {
                if (!message.countOnly) socket.send(JSON.stringify({ op: 'subscribe', board: 'global', limit: 10 }));
                resolve(socket);
              });
              socket.on('error', reject);
              socket.on('message', (data: Buffer) => {
                counted += 1;
                if (message.countOnly) return;
                // No JSON.parse, not even a string: the clients must cost about what the
                // bare-broadcast clients cost, or they would take CPU from the server (and
                // delay their own timestamps) in a way the baseline did not have to share.
                if (data.compare(UPDATE_PREFIX, 0, UPDATE_PREFIX.length, 0, UPDATE_PREFIX.length) !== 0) return;
                arrivals[i]?.push([firstScore(data), Date.now()]);
              });
            }),
        ),
      );
      process.send?.({ cmd: 'connected' });
    } else if (message.cmd === 'mark') {
      counted = 0;
      process.send?.({ cmd: 'marked', at: Date.now() });
    } else if (message.cmd === 'report') {
      process.send?.({ cmd: 'report', counted, countedAt: Date.now(), arrivals });
      for (const socket of sockets) socket.terminate();
      sockets = [];
    } else {
      process.exit(0);
    }
  })();
});
