import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a ticket for a timed action vouches for. */
export interface TicketClaims {
  /** Random, unique: the single-use check records it. */
  id: string;
  userId: string;
  type: string;
  /** ms since the epoch */
  startedAt: number;
}

const SIGNATURE_BYTES = 32;

/**
 * Signs and checks tickets for timed actions: `base64url(id.user.type.start)` and an
 * HMAC-SHA256 over it. A forged or altered ticket fails the HMAC without any lookup; only
 * the single-use check needs storage.
 */
export class TicketSigner {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 32) throw new Error('ticket secret must be at least 256 bits');
  }

  sign(claims: Omit<TicketClaims, 'id'>, id: string = randomBytes(16).toString('base64url')): string {
    const body = Buffer.from([id, claims.userId, claims.type, String(claims.startedAt)].join('.')).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /** The claims of a genuine ticket, or undefined for anything forged, altered or malformed. */
  verify(ticket: string): TicketClaims | undefined {
    const dot = ticket.indexOf('.');
    if (dot <= 0 || ticket.length > 512) return undefined;
    const body = ticket.slice(0, dot);
    const signature = Buffer.from(ticket.slice(dot + 1), 'base64url');
    if (signature.length !== SIGNATURE_BYTES || !timingSafeEqual(signature, this.mac(body))) return undefined;
    const [id, userId, type, startedAt, ...rest] = Buffer.from(body, 'base64url').toString('utf8').split('.');
    if (!id || !userId || !type || !startedAt || rest.length > 0 || !/^\d+$/.test(startedAt)) return undefined;
    return { id, userId, type, startedAt: Number(startedAt) };
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }
}
