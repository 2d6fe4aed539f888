/**
 * A receive-only WebSocket client for the fan-out benchmark, on a bare TCP socket that reads
 * into one shared buffer (`net`'s `onread`): no stream, no per-read allocation, no message
 * objects. The `ws` client costs the subscriber process ≈ 12 µs per message; at 5,000
 * subscribers that process then fell behind a broadcast round and stamped arrivals late, on
 * the same two cores as the server it measures. Only what a subscriber needs: the opening
 * handshake (checked), small masked text frames out, unmasked frames in, pings answered.
 * Never used by the product.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * Called with each text frame's payload as `bytes[start, end)`, valid only during the call,
 * and the socket it came on (to answer it with `sendText`).
 */
export type OnText = (bytes: Buffer, start: number, end: number, at: number, socket: net.Socket) => void;

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;
const HEADERS_END = Buffer.from('\r\n\r\n');

/** Every subscriber reads into this: the bytes of one read are handled before the next. */
const readBuffer = Buffer.allocUnsafe(256 * 1024);

/** A client → server frame: final, masked, payload under 64 KiB. */
function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const extended = payload.length >= 126;
  const header = Buffer.alloc(extended ? 8 : 6);
  header[0] = 0x80 | opcode;
  if (extended) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header[1] = 0x80 | payload.length;
  }
  const mask = randomBytes(4);
  mask.copy(header, header.length - 4);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i += 1) masked[i] = (masked[i] as number) ^ (mask[i % 4] as number);
  return Buffer.concat([header, masked]);
}

/** Sends one text frame (under 64 KiB) on an open subscriber, e.g. a subscribe after `auth` was answered. */
export function sendText(socket: net.Socket, text: string): void {
  socket.write(maskedFrame(OPCODE_TEXT, Buffer.from(text)));
}

/**
 * Connects to a `ws://host:port/path` URL; resolves with the socket once the server has
 * switched protocols and `firstMessage` (if any) is sent.
 */
export function connectLeanSubscriber(url: string, firstMessage: string | undefined, onText: OnText): Promise<net.Socket> {
  const { hostname, port, pathname } = new URL(url);
  const key = randomBytes(16).toString('base64');
  const expectedAccept = createHash('sha1').update(key + WS_GUID).digest('base64');
  /** Bytes of an unfinished handshake or frame, kept across reads (rare: frames are small). */
  let pending: Buffer | undefined;
  let open = false;

  return new Promise((resolve, reject) => {
    const socket = net.connect({
      host: hostname,
      port: Number(port),
      onread: {
        buffer: readBuffer,
        callback: (length: number, buffer: Uint8Array): boolean => {
          const at = Date.now();
          let bytes = Buffer.from(buffer.buffer, buffer.byteOffset, length);
          if (pending) {
            bytes = Buffer.concat([pending, bytes]);
            pending = undefined;
          }
          let offset = 0;
          if (!open) {
            const end = bytes.indexOf(HEADERS_END);
            if (end < 0) {
              pending = Buffer.from(bytes);
              return true;
            }
            const head = bytes.toString('latin1', 0, end);
            if (!head.startsWith('HTTP/1.1 101') || !head.includes(`\r\nSec-WebSocket-Accept: ${expectedAccept}`)) {
              socket.destroy();
              reject(new Error(`not a WebSocket handshake: ${head.split('\r\n')[0]}`));
              return false;
            }
            open = true;
            offset = end + HEADERS_END.length;
            if (firstMessage !== undefined) sendText(socket, firstMessage);
            resolve(socket);
          }
          offset = readFrames(socket, bytes, offset, at, onText);
          if (offset < bytes.length) pending = Buffer.from(bytes.subarray(offset));
          return true;
        },
      },
    });
    socket.setNoDelay(true);
    socket.on('error', reject);
    socket.on('connect', () => {
      socket.write(
        `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  });
}

/** Handles every whole frame in `bytes` from `offset`; returns where the unfinished rest starts. */
function readFrames(socket: net.Socket, bytes: Buffer, offset: number, at: number, onText: OnText): number {
  while (offset + 2 <= bytes.length) {
    const opcode = (bytes[offset] as number) & 0x0f;
    let length = (bytes[offset + 1] as number) & 0x7f;
    let header = 2;
    if (length === 126) {
      if (offset + 4 > bytes.length) break;
      length = bytes.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (offset + 10 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(offset + 2));
      header = 10;
    }
    const start = offset + header;
    const end = start + length;
    if (end > bytes.length) break;
    if (opcode === OPCODE_TEXT) onText(bytes, start, end, at, socket);
    else if (opcode === OPCODE_PING) socket.write(maskedFrame(OPCODE_PONG, bytes.subarray(start, end)));
    else if (opcode === OPCODE_CLOSE) socket.end();
    offset = end;
  }
  return offset;
}
