import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { bearerClaims, type TokenVerifier } from '../auth/index.js';
import { AppError } from '../platform/errors.js';
import { isPeriodKeyOf } from '../platform/periods.js';
import { problemResponses } from '../platform/problem-json.js';
import type { LeaderboardService } from './leaderboard-service.js';

const Entry = Type.Object({ rank: Type.Integer(), userId: Type.String(), username: Type.String(), score: Type.Number() });
const StandingEntry = Type.Object({
  ...Entry.properties,
  total: Type.Integer({ description: 'How many players are ranked' }),
  topPercent: Type.Number({ description: '⌈rank ÷ total × 10000⌉ ÷ 100: rank 1 of 200 is 0.5' }),
});
const BoardParams = Type.Object({ board: Type.String({ minLength: 1, maxLength: 64 }) });
const Page = Type.Object({ board: Type.String(), seq: Type.Integer(), total: Type.Integer(), entries: Type.Array(Entry) });
const BoardSummary = Type.Object({
  id: Type.String(),
  metric: Type.String(),
  aggregate: Type.Union([Type.Literal('sum'), Type.Literal('max'), Type.Literal('min'), Type.Literal('last')]),
  order: Type.Union([Type.Literal('desc'), Type.Literal('asc')]),
  period: Type.Union([Type.Literal('all-time'), Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly'), Type.Literal('season')]),
  periodKey: Type.String(),
  state: Type.Union([Type.Literal('upcoming'), Type.Literal('live'), Type.Literal('closed')]),
  startsAt: Type.Optional(Type.String({ format: 'date-time' })),
  endsAt: Type.Optional(Type.String({ format: 'date-time' })),
  resetsAt: Type.Optional(Type.String({ format: 'date-time' })),
});
const PeriodKey = Type.String({
  pattern: '^(all|[0-9]{4}-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z)?)?)$',
  description:
    "A period key: `all`, a day (`2026-11-27`, daily boards), a week's Monday (weekly boards), a month (`2026-11`) or a season's start (`2026-12-01T00:00:00.000Z`). Default: the current period.",
});
const NotModified = Type.Null({ description: 'Not modified: the `If-None-Match` tag is current (no body)' });

/** Friends lists: up to 100 user ids, comma-separated. */
const USER_IDS = '^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,99}$';

export interface LeaderboardRoutesDeps {
  leaderboard: LeaderboardService;
  verifier: TokenVerifier;
}

/** docs/API.md "Leaderboards". */
export function registerLeaderboardRoutes(root: FastifyInstance, { leaderboard, verifier }: LeaderboardRoutesDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const unknownBoard = (board: string): AppError => new AppError('not_found', `There is no board "${board}".`);
  /**
   * docs/API.md "Operations": a public read (no bearer) is cacheable for a second by any cache
   * and carries an `ETag` from the board's `seq` and period; `If-None-Match` with the current
   * tag is `304` before anything is read. True when it answered `304`.
   */
  /** An unknown board is `404`; a period key of another kind `400`; a period the board does not keep `404`. */
  const checkPeriod = (board: string, period: string | undefined): void => {
    const definition = leaderboard.definition(board);
    if (!definition) throw unknownBoard(board);
    if (period === undefined) return;
    if (!isPeriodKeyOf(definition.period, period)) {
      throw new AppError('invalid_request', `"${period}" is not a period key of board "${board}" (${typeof definition.period === 'string' ? definition.period : 'a season'}).`);
    }
    if (!leaderboard.holdsPeriod(board, period)) {
      throw new AppError('not_found', `Board "${board}" keeps no period "${period}": it keeps its current period and the ones its retainPastPeriods names.`);
    }
  };
  const notModified = (request: FastifyRequest, reply: FastifyReply, board: string, period?: string): boolean => {
    if (request.headers.authorization !== undefined) return false;
    const tag = leaderboard.cacheTag(board, period);
    if (!tag) return false;
    void reply.header('etag', tag).header('cache-control', 'public, max-age=1');
    if (!matchesTag(request.headers['if-none-match'], tag)) return false;
    void reply.code(304).send();
    return true;
  };

  app.get(
    '/api/v1/leaderboards',
    {
      schema: {
        tags: ['leaderboard'],
        summary: 'The boards: what each ranks, in which order, its current period and state',
        response: { 200: Type.Object({ boards: Type.Array(BoardSummary) }) },
      },
    },
    () => ({ boards: leaderboard.list() }),
  );

  app.get(
    '/api/v1/leaderboards/:board',
    {
      schema: {
        tags: ['leaderboard'],
        summary: 'A page of a board: its current period, or one it keeps before it (?period=)',
        params: BoardParams,
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
            offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
            period: Type.Optional(PeriodKey),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page, 304: NotModified, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { board } = request.params;
      const { offset, limit, period } = request.query;
      checkPeriod(board, period);
      if (notModified(request, reply, board, period)) return reply;
      const page = await leaderboard.page(board, offset, limit, period);
      if (!page) throw new AppError('not_found', `Board "${board}" keeps no period "${period ?? ''}": it keeps its current period and the ones its retainPastPeriods names.`);
      return page;
    },
  );

  app.get(
    '/api/v1/leaderboards/:board/users',
    {
      schema: {
        tags: ['leaderboard'],
        summary: 'The ranked ones among a list of users (friends, a group), by rank',
        params: BoardParams,
        querystring: Type.Object(
          { ids: Type.String({ pattern: USER_IDS, description: '1–100 user ids, comma-separated; unknown or unranked ones are left out' }) },
          { additionalProperties: false },
        ),
        response: { 200: Page, 304: NotModified, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { board } = request.params;
      if (!leaderboard.has(board)) throw unknownBoard(board);
      if (notModified(request, reply, board)) return reply;
      const page = await leaderboard.entriesOf(board, request.query.ids.split(','));
      if (!page) throw unknownBoard(board);
      return page;
    },
  );

  app.get(
    '/api/v1/leaderboards/:board/users/:userId',
    {
      schema: {
        tags: ['leaderboard'],
        summary: "A user's entry on a board, with how many are ranked and the user's top percentage (404 when unranked)",
        params: Type.Object({ ...BoardParams.properties, userId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: StandingEntry, 304: NotModified, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { board, userId } = request.params;
      if (!leaderboard.has(board)) throw unknownBoard(board);
      if (notModified(request, reply, board)) return reply;
      const entry = await leaderboard.entryOf(board, userId);
      if (!entry) throw new AppError('not_found', `User ${userId} is not ranked on "${board}".`);
      return entry;
    },
  );

  app.get(
    '/api/v1/leaderboards/:board/me',
    {
      schema: {
        tags: ['leaderboard'],
        summary: 'Your entry and the entries around it',
        security: [{ bearer: [] }],
        params: BoardParams,
        querystring: Type.Object({ radius: Type.Integer({ minimum: 0, maximum: 50, default: 5 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ me: StandingEntry, entries: Type.Array(Entry) }), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { userId } = await bearerClaims(request, verifier);
      const { board } = request.params;
      if (!leaderboard.has(board)) throw unknownBoard(board);
      const around = await leaderboard.around(board, userId, request.query.radius);
      if (!around) throw new AppError('not_found', `You are not ranked on "${board}" yet.`);
      return around;
    },
  );

  // The player's standing on every board in one answer, where being unranked
  // is an empty list rather than a 404 per board (which browsers log as an error).
  app.get(
    '/api/v1/me/ranks',
    {
      schema: {
        tags: ['leaderboard'],
        summary: 'Your rank and score on every board where you are ranked',
        security: [{ bearer: [] }],
        response: {
          200: Type.Object({ ranks: Type.Array(Type.Object({ board: Type.String(), rank: Type.Integer(), score: Type.Number() })) }),
          ...problemResponses(401),
        },
      },
    },
    async (request) => {
      const { userId } = await bearerClaims(request, verifier);
      return { ranks: await leaderboard.ranksOf(userId) };
    },
  );

  app.get(
    '/api/v1/admin/leaderboards/:board/export',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every ranked player of a board period as CSV (rank,userId,username,score), streamed (admin only)',
        security: [{ bearer: [] }],
        params: BoardParams,
        querystring: Type.Object({ period: Type.Optional(PeriodKey) }, { additionalProperties: false }),
        response: { 200: Type.Any({ description: 'text/csv: a header line, then one line per ranked player, by rank' }), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const claims = await bearerClaims(request, verifier);
      if (!claims.roles.includes('admin')) throw new AppError('forbidden', 'Only an admin can export a board.');
      const { board } = request.params;
      const { period } = request.query;
      checkPeriod(board, period);
      const pages = leaderboard.entries(board, period);
      async function* csv(): AsyncGenerator<string> {
        yield 'rank,userId,username,score\n';
        for await (const page of pages) yield page.map((entry) => `${entry.rank},${csvField(entry.userId)},${csvField(entry.username)},${entry.score}\n`).join('');
      }
      const name = `${board}-${period ?? leaderboard.cacheTag(board)?.split('.')[1] ?? 'current'}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(Readable.from(csv()));
    },
  );
}

/** Whether an `If-None-Match` header names `tag` (weak comparison, a list or `*`). */
function matchesTag(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  const bare = (value: string) => value.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim() === '*' || bare(candidate) === bare(tag));
}

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
