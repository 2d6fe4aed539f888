import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a ticket for a timed action vouches for. */
export interface TicketClaims {
  /** Random, unique: the single-use check records it. */
  id: string;
  userId: string;
  type: string;
  /** ms since the epoch */
  startedAt: number;
  /**
   * When the ticket stops being good (ms since the epoch): its start plus the type's
   * `maxDurationMs` when it was issued. Signed, so raising `maxDurationMs` later cannot
   * revive an old ticket (which lets spent tickets be forgotten once expired). Absent on
   * tickets of an unbounded type and on tickets issued before it existed.
   */
  expiresAt?: number;
}


/**
 * Signs and checks tickets for timed actions: `base64url(id.user.type.start[.expires])` and an
 * HMAC-SHA256 over it. A forged or altered ticket fails the HMAC without any lookup; only
 * the single-use check needs storage.
 */
export class TicketSigner {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 32) throw new Error('ticket secret must be at least 256 bits');
  }

  sign(claims: Omit<TicketClaims, 'id'>, id: string = randomBytes(16).toString('base64url')): string {
    const times = [claims.startedAt, ...(claims.expiresAt === undefined ? [] : [claims.expiresAt])];
    if ([id, claims.userId, claims.type].some((part) => part.includes('.')) || times.some((time) => !Number.isSafeInteger(time) || time < 0)) {
      throw new Error('ticket claims must be dot-free and at non-negative integer times');
    }
    const body = Buffer.from([id, claims.userId, claims.type, ...times.map(String)].join('.')).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The claims of a genuine ticket, or undefined for anything forged, altered or malformed. */
  verify(ticket: string): TicketClaims | undefined {
    const dot = ticket.indexOf('.');
    if (dot <= 0 || ticket.length > 512) return undefined;
    const body = ticket.slice(0, dot);
    // Compare the text, not decoded bytes: Node's base64url decoder forgives stray
    // characters and spare bits, which would give one ticket several valid spellings.
    const signature = Buffer.from(ticket.slice(dot + 1));
    const expected = Buffer.from(this.mac(body).toString('base64url'));
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return undefined;
    const [id, userId, type, startedAt, expiresAt, ...rest] = Buffer.from(body, 'base64url').toString('utf8').split('.');
    if (!id || !userId || !type || !startedAt || rest.length > 0 || !/^\d+$/.test(startedAt)) return undefined;
    if (expiresAt === undefined) return { id, userId, type, startedAt: Number(startedAt) };
    if (!/^\d+$/.test(expiresAt)) return undefined;
    return { id, userId, type, startedAt: Number(startedAt), expiresAt: Number(expiresAt) };
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }
}
