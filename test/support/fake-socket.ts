import { EventEmitter } from 'node:events';

/** A server-side socket whose send buffer the test controls. */
export class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  /** When each update frame was written (`performance.now()`). */
  readonly updateTimes: number[] = [];
  terminated = false;
  /** The TCP socket broadcasts write ready-made frames to: unwrap them to their text. */
  readonly _socket = {
    write: (frame: Buffer): void => {
      const length = (frame[1] as number) & 0x7f;
      this.sent.push(frame.subarray(length === 126 ? 4 : length === 127 ? 10 : 2).toString());
      this.updateTimes.push(performance.now());
    },
  };
  send(data: string | Buffer): void {
    this.sent.push(String(data));
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
  close(): void {
    this.terminate();
  }
  pings = 0;
  ping(): void {
    this.pings += 1;
  }
  /** What the client sends. */
  receive(frame: object): void {
    this.emit('message', Buffer.from(JSON.stringify(frame)), false);
  }
  updates(): number {
    return this.sent.filter((text) => text.includes('"type":"update"')).length;
  }
  /** Every message the server sent, parsed. */
  messages<T = Record<string, unknown>>(): T[] {
    return this.sent.map((text) => JSON.parse(text) as T);
  }
}

