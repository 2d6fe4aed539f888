import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** How the receiver answers one request. */
export type ReceiverAnswer = 'ok' | 'fail' | 'hang' | 'redirect';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** What the receiver answered it. */
  answer: ReceiverAnswer;
}

/**
 * A webhook receiver on loopback, as a game team would run one: it records every request
 * and answers as the test says (the next answers in order, then `ok`). It can go down and
 * come back on the same port, as a receiver does during a deploy.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly answers: ReceiverAnswer[] = [];
  private server: http.Server | undefined;
  private readonly hanging = new Set<http.ServerResponse>();

  private constructor(private port: number) {}

  static async start(port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(port);
    await receiver.up();
    onTestFinished(() => receiver.down());
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/leaderboard`;
  }

  /** The answers to the next requests, in order. */
  answerNext(...answers: ReceiverAnswer[]): void {
    this.answers.push(...answers);
  }

  /** The delivered (answered `ok`) webhooks, in the order they arrived. */
  delivered(): ReceivedWebhook[] {
    return this.received.filter((request) => request.answer === 'ok');
  }

  async up(): Promise<void> {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const answer = this.answers.shift() ?? 'ok';
        const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
        this.received.push({ headers, body: Buffer.concat(chunks).toString('utf8'), answer });
        if (answer === 'hang') return void this.hanging.add(response);
        if (answer === 'redirect') return void response.writeHead(302, { location: `${this.url}/elsewhere` }).end();
        response.writeHead(answer === 'ok' ? 204 : 500).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening (connections refused from now on) until `up`. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
