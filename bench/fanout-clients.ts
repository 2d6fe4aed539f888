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
                // No JSON.parse: the clients must cost about what the bare-broadcast clients cost,
                // or they would take CPU from the server the baseline did not have to share.
                const text = data.toString('latin1');
                if (!text.startsWith('{"type":"update"')) return;
                const at = text.indexOf('"score":');
                arrivals[i]?.push([at < 0 ? 0 : parseInt(text.slice(at + 8, at + 24), 10), Date.now()]);
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
