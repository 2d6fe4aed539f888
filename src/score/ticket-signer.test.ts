import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TicketSigner } from './ticket-signer.js';

const SECRET = Buffer.alloc(32, 0x5a);
const OTHER_SECRET = Buffer.alloc(32, 0xa5);
const CLAIMS = { userId: '2f1c7a52-3d4e-4b1a-9c55-0a8f7e6d5c4b', type: 'quest', startedAt: 1_795_000_000_123 };

/** A ticket whose body is `content` verbatim, with a genuine HMAC-SHA256 of `secret` over the body. */
function craft(content: string, secret: Buffer = SECRET): string {
  const body = Buffer.from(content).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** `text` with the character at `index` replaced by a different base64url character. */
function flipAt(text: string, index: number): string {
  const current = text[index];
  const replacement = current === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

function split(ticket: string): { body: string; signature: string } {
  const dot = ticket.indexOf('.');
  return { body: ticket.slice(0, dot), signature: ticket.slice(dot + 1) };
}

describe('TicketSigner', () => {
  it('signs an expiry into the ticket when given one, and still reads tickets without', () => {
    const signer = new TicketSigner(SECRET);
    const claims = { ...CLAIMS, expiresAt: CLAIMS.startedAt + 600_000 };
    expect(signer.verify(signer.sign(claims, 'with-expiry'))).toEqual({ id: 'with-expiry', ...claims });
    // A ticket issued before expiries existed (four parts) is still genuine.
    expect(signer.verify(craft(`old.${CLAIMS.userId}.quest.${CLAIMS.startedAt}`))).toEqual({ id: 'old', ...CLAIMS });
    expect(() => signer.sign({ ...CLAIMS, expiresAt: -1 })).toThrow();
  });

  it('verifies what it signed and returns the claims', () => {
    const signer = new TicketSigner(SECRET);
    const ticket = signer.sign(CLAIMS, 'ticket-id-1');

    expect(signer.verify(ticket)).toEqual({ id: 'ticket-id-1', ...CLAIMS });
  });

  it('verifies a ticket signed by another instance with the same secret', () => {
    const ticket = new TicketSigner(Buffer.from(SECRET)).sign(CLAIMS, 'shared');
    expect(new TicketSigner(SECRET).verify(ticket)).toEqual({ id: 'shared', ...CLAIMS });
  });

  it('gives each ticket a fresh random id', () => {
    const signer = new TicketSigner(SECRET);
    const first = signer.verify(signer.sign(CLAIMS));
    const second = signer.verify(signer.sign(CLAIMS));

    expect(first).toMatchObject(CLAIMS);
    expect(second).toMatchObject(CLAIMS);
    expect(first?.id).toBeTruthy();
    expect(second?.id).toBeTruthy();
    expect(first?.id).not.toBe(second?.id);
  });

  it('keeps startedAt a number, including 0', () => {
    const signer = new TicketSigner(SECRET);
    const claims = signer.verify(signer.sign({ ...CLAIMS, startedAt: 0 }, 'zero'));
    expect(claims?.startedAt).toBe(0);
    expect(typeof claims?.startedAt).toBe('number');
  });

  it('accepts a hand-made ticket with the right content and HMAC (so the crafted rejections below are content checks)', () => {
    expect(new TicketSigner(SECRET).verify(craft(`abc.${CLAIMS.userId}.quest.42`))).toEqual({
      id: 'abc',
      userId: CLAIMS.userId,
      type: 'quest',
      startedAt: 42,
    });
  });

  describe('refuses', () => {
    const signer = new TicketSigner(SECRET);
    const ticket = signer.sign(CLAIMS, 'ticket-id-1');
    const { body, signature } = split(ticket);

    it('a ticket signed with another secret', () => {
      const forged = new TicketSigner(OTHER_SECRET).sign(CLAIMS, 'ticket-id-1');
      expect(signer.verify(forged)).toBeUndefined();
      expect(signer.verify(craft(`x.${CLAIMS.userId}.quest.1`, OTHER_SECRET))).toBeUndefined();
    });

    it('a ticket whose body has one character changed', () => {
      for (const index of [0, Math.floor(body.length / 2), body.length - 1]) {
        const altered = `${flipAt(body, index)}.${signature}`;
        expect(altered).not.toBe(ticket);
        expect(signer.verify(altered)).toBeUndefined();
      }
    });

    it('a ticket whose body claims another user', () => {
      const { body: otherBody } = split(signer.sign({ ...CLAIMS, userId: 'someone-else' }, 'ticket-id-1'));
      expect(signer.verify(`${otherBody}.${signature}`)).toBeUndefined();
    });

    it('a ticket whose signature has one character changed', () => {
      for (const index of [0, Math.floor(signature.length / 2), signature.length - 2]) {
        const altered = `${body}.${flipAt(signature, index)}`;
        expect(altered).not.toBe(ticket);
        expect(signer.verify(altered)).toBeUndefined();
      }
    });

    it('a truncated signature', () => {
      expect(signer.verify(`${body}.${signature.slice(0, -1)}`)).toBeUndefined();
      expect(signer.verify(`${body}.${signature.slice(0, -4)}`)).toBeUndefined();
      expect(signer.verify(`${body}.${signature.slice(0, 20)}`)).toBeUndefined();
      expect(signer.verify(`${body}.`)).toBeUndefined();
    });

    it('a signature that is too long', () => {
      expect(signer.verify(`${body}.${signature}AAAA`)).toBeUndefined();
    });

    it('a ticket without a dot', () => {
      expect(signer.verify(body + signature)).toBeUndefined();
      expect(signer.verify(body)).toBeUndefined();
    });

    it('a ticket that starts with the dot', () => {
      expect(signer.verify(`.${signature}`)).toBeUndefined();
    });

    it('the empty string', () => {
      expect(signer.verify('')).toBeUndefined();
      expect(signer.verify('.')).toBeUndefined();
    });

    it('a 10 KB string', () => {
      expect(signer.verify('a'.repeat(10 * 1024))).toBeUndefined();
      expect(signer.verify(`${'a'.repeat(10 * 1024)}.${signature}`)).toBeUndefined();
      expect(signer.verify(craft(`${'i'.repeat(10 * 1024)}.${CLAIMS.userId}.quest.1`))).toBeUndefined();
    });

    it('a correctly signed body with an extra dot-separated part, or an expiry that is not a time', () => {
      expect(signer.verify(craft(`id.${CLAIMS.userId}.quest.1000.2000.extra`))).toBeUndefined();
      expect(signer.verify(craft(`id.${CLAIMS.userId}.quest.1000.extra`))).toBeUndefined();
      expect(signer.verify(craft(`id.${CLAIMS.userId}.quest.1000.`))).toBeUndefined();
      expect(signer.verify(craft(`id.${CLAIMS.userId}.quest.1000.-5`))).toBeUndefined();
      expect(signer.verify(craft(`id.user.with.dots.quest.1000`))).toBeUndefined();
    });

    it('a correctly signed body with too few parts or an empty part', () => {
      expect(signer.verify(craft(`id.${CLAIMS.userId}.quest`))).toBeUndefined();
      expect(signer.verify(craft(`.${CLAIMS.userId}.quest.1000`))).toBeUndefined();
      expect(signer.verify(craft(`id..quest.1000`))).toBeUndefined();
      expect(signer.verify(craft(`id.${CLAIMS.userId}..1000`))).toBeUndefined();
      expect(signer.verify(craft(`id.${CLAIMS.userId}.quest.`))).toBeUndefined();
      expect(signer.verify(craft(''))).toBeUndefined();
    });

    it.each(['soon', '12ab', '-5', '1e3', ' 12', '0x10', 'NaN', 'Infinity', '1.5.9'])(
      'a correctly signed body whose startedAt is %j',
      (startedAt) => {
        expect(signer.verify(craft(`id.${CLAIMS.userId}.quest.${startedAt}`))).toBeUndefined();
      },
    );
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => new TicketSigner(Buffer.alloc(31, 1))).toThrow(/256 bits/);
    expect(() => new TicketSigner(Buffer.alloc(0))).toThrow();
    expect(() => new TicketSigner(Buffer.alloc(32, 1))).not.toThrow();
  });
});

describe('TicketSigner canonical form', () => {
  const signer = new TicketSigner(Buffer.alloc(32, 7));

  it('accepts exactly one spelling of a ticket', () => {
    const ticket = signer.sign({ userId: 'u-1', type: 'quest', startedAt: 1000 });
    const [body = '', signature = ''] = ticket.split('.');
    const last = signature.at(-1) ?? 'A';
    const neighbour = String.fromCharCode(last.charCodeAt(0) ^ 1);
    for (const variant of [`${ticket}!`, `${ticket}=`, `${body}.${signature.slice(0, 5)}.${signature.slice(5)}`, `${body}.${signature.slice(0, -1)}${neighbour}`]) {
      expect(signer.verify(variant)).toBeUndefined();
    }
    expect(signer.verify(ticket)).toMatchObject({ userId: 'u-1', type: 'quest', startedAt: 1000 });
  });

  it('refuses to sign claims it could not verify', () => {
    expect(() => signer.sign({ userId: 'a.b', type: 'quest', startedAt: 1 })).toThrow();
    expect(() => signer.sign({ userId: 'a', type: 'quest', startedAt: -1 })).toThrow();
  });
});
