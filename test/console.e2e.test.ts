import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createServerClient, isHeld, LeaderboardError } from '../packages/client/src/index.js';
import { temporaryDirectory, testClient } from './helpers.js';
import { freePort, startServerProcess, type ServerProcess } from './process.js';
import { PASSWORD, type TestClient } from './support/test-client.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
// The browser test's folder: every page's pictures in one place.
const SCREENSHOTS = path.join(ROOT, 'test-results', 'browser');
// Locally a machine without Chromium skips; in CI (.ci/run installs it) a missing browser fails.
const skip = !fs.existsSync(CHROMIUM) && process.env.CI !== 'true';

const ADMIN = 'root';
/** What the console shows a player who is not an operator (console-messages.js). */
const REFUSAL = 'This account is not an operator: only the accounts named in ADMIN_USERS can use the console.';
/** Markup that would run, or at least leave an element behind, if the console ever parsed data as HTML. */
const IMG = '<img src=x onerror="window.pwned=1">';
const SCRIPT = '<script>window.pwned=2</script>';

interface Console {
  server: ServerProcess;
  api: TestClient;
  receiver: WebhookReceiver;
  context: BrowserContext;
}

/**
 * The real server (default catalog and boards: `match-result` is held above 50,000 and ranks on
 * `best-match`) with `root` as its admin, webhooks to a receiver and to `extraWebhooks`, and a
 * browser context of its own.
 */
async function startConsole(browser: Browser, extraWebhooks: string[] = []): Promise<Console> {
  const receiver = await WebhookReceiver.start();
  const server = await startServerProcess({
    PORT: '0',
    DATA_DIR: temporaryDirectory(),
    ADMIN_USERS: ADMIN,
    RATE_LIMIT_USER_PER_SEC: '0',
    WEBHOOK_URLS: [receiver.url, ...extraWebhooks].join(','),
    WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}`,
  });
  onTestFinished(async () => void (await server.stop()));
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  onTestFinished(() => context.close());
  return { server, api: testClient(server.url), receiver, context };
}

/** What a page did that it should not: errors, uncaught exceptions, dialogs, CSP violations, `window.pwned`. */
async function watch(page: Page): Promise<{ errors: string[]; dialogs: string[]; violations: () => Promise<string[]>; pwned: () => Promise<unknown> }> {
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { violations: seen });
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.sample}`));
  });
  return {
    errors,
    dialogs,
    violations: () => page.evaluate(() => (window as unknown as { violations: string[] }).violations),
    pwned: () => page.evaluate(() => (window as unknown as { pwned?: unknown }).pwned),
  };
}

/** Opens the console and logs in as `username`. */
async function openConsole(page: Page, url: string, username: string): Promise<void> {
  await page.goto(`${url}/admin`);
  await page.getByTestId('auth-username').fill(username);
  await page.getByTestId('auth-password').fill(PASSWORD);
  await page.getByTestId('auth-login').click();
}

/** A leaderboard row on the player page, read through the contract's data attributes. */
async function playerRow(page: Page, userId: string): Promise<{ rank: number; score: number } | null> {
  return page.evaluate((id) => {
    const element = document.querySelector<HTMLElement>(`[data-testid="leaderboard"] [data-testid="leaderboard-row"][data-user-id="${id}"]`);
    return element ? { rank: Number(element.dataset.rank), score: Number(element.dataset.score) } : null;
  }, userId);
}

async function clicks(api: TestClient, token: string, times: number): Promise<void> {
  for (let i = 0; i < times; i += 1) expect((await api.act(token)).status).toBe(201);
}

const rows = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]`);
const boardRow = (page: Page, board: string) => page.locator(`[data-testid="admin-board-row"][data-board-id="${board}"]`);
const texts = (page: Page, testId: string) => rows(page, testId).allTextContents();
/** Every element of any of the console's rows whose markup came from data: there must be none. */
const injected = (page: Page) => page.locator('[data-testid^="admin-"][data-testid$="-row"] :is(img, script, b, iframe)').count();

/** Waits for the page to get there: up to two of the console's 5 s refreshes and then some. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 12_000 });

describe.skipIf(skip)('the operator console, in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('bans and unbans a player, which the player page shows live; exports a board; keeps the session over a reload', { timeout: 90_000 }, async () => {
    const { server, api, context } = await startConsole(browser);
    await api.player(ADMIN);
    const ada = await api.player('ada');
    const bob = await api.player('bob');
    await clicks(api, ada.token, 3);
    await clicks(api, bob.token, 5);

    const player = await context.newPage();
    const playerIssues = await watch(player);
    await player.goto(server.url);
    await poll(() => playerRow(player, ada.userId)).toEqual({ rank: 2, score: 3 });

    const admin = await context.newPage();
    const issues = await watch(admin);
    await openConsole(admin, server.url, ADMIN);
    await poll(() => admin.getByTestId('current-user').textContent()).toBe(ADMIN);
    await poll(() => rows(admin, 'admin-board-row').evaluateAll((all) => all.map((row) => (row as HTMLElement).dataset.boardId))).toEqual([
      'global',
      'daily',
      'weekly',
      'monthly',
      'fastest-sprint',
      'best-match',
    ]);
    await poll(() => boardRow(admin, 'global').getAttribute('data-total')).toBe('2');
    expect(await boardRow(admin, 'global').textContent()).toMatch(/all time.*live.*bob · 5/);

    // Any case finds her; only she starts with "ad".
    await admin.getByTestId('admin-user-search').fill('AD');
    const adaRow = admin.locator(`[data-testid="admin-user-row"][data-user-id="${ada.userId}"]`);
    await poll(() => adaRow.getAttribute('data-banned')).toBe('false');
    expect(await rows(admin, 'admin-user-row').count()).toBe(1);
    expect(await adaRow.getByTestId('admin-unban').isVisible()).toBe(false);

    await adaRow.getByTestId('admin-ban').click();
    await poll(() => adaRow.getAttribute('data-banned')).toBe('true');
    await poll(() => playerRow(player, ada.userId)).toBeNull();
    await poll(() => boardRow(admin, 'global').getAttribute('data-total')).toBe('1');
    await poll(async () => (await texts(admin, 'admin-audit-row'))[0]).toMatch(new RegExp(`user\\.banned${ada.userId}`));

    await adaRow.getByTestId('admin-unban').click();
    await poll(() => adaRow.getAttribute('data-banned')).toBe('false');
    await poll(() => playerRow(player, ada.userId)).toEqual({ rank: 2, score: 3 });
    await poll(() => boardRow(admin, 'global').getAttribute('data-total')).toBe('2');
    await poll(async () => (await texts(admin, 'admin-audit-row'))[0]).toMatch(new RegExp(`user\\.unbanned${ada.userId}`));

    // The CSV export downloads from a Blob URL, named after the board and its period.
    const [download] = await Promise.all([admin.waitForEvent('download'), boardRow(admin, 'global').getByTestId('admin-export').click()]);
    expect(download.suggestedFilename()).toBe('global-all.csv');
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv.trim().split('\n')).toEqual(['rank,userId,username,score', `1,${bob.userId},bob,5`, `2,${ada.userId},ada,3`]);

    // A reload keeps the operator signed in; logging out ends it and shows nothing more.
    await admin.reload();
    await poll(() => admin.getByTestId('current-user').textContent()).toBe(ADMIN);
    await poll(() => rows(admin, 'admin-board-row').count()).toBe(6);
    await admin.getByTestId('auth-logout').click();
    await poll(() => admin.getByTestId('auth-login').isVisible()).toBe(true);
    expect(await rows(admin, 'admin-board-row').count()).toBe(0);
    await admin.reload();
    await poll(() => admin.getByTestId('auth-login').isVisible()).toBe(true);

    expect(issues.errors).toEqual([]);
    expect(playerIssues.errors).toEqual([]);
  });

  it('creates a credential whose secret a game server uses, approves and rejects held results, revokes the credential', { timeout: 90_000 }, async () => {
    const { server, api, context } = await startConsole(browser);
    await api.player(ADMIN);
    const ada = await api.player('ada');
    const bob = await api.player('bob');
    await clicks(api, ada.token, 3);
    await clicks(api, bob.token, 5);

    const player = await context.newPage();
    await player.goto(server.url);
    await poll(() => player.getByTestId('board-select').locator('option[value="best-match"]').count()).toBe(1);
    await player.getByTestId('board-select').selectOption('best-match');

    const admin = await context.newPage();
    const issues = await watch(admin);
    await openConsole(admin, server.url, ADMIN);
    await poll(() => rows(admin, 'admin-board-row').count()).toBe(6);

    await admin.getByTestId('admin-credential-name').fill('match-server');
    await admin.getByTestId('admin-credential-create').click();
    await poll(() => admin.getByTestId('admin-credential-secret').textContent()).toMatch(/^llb_sk_[A-Za-z0-9_-]{43}$/);
    const secret = (await admin.getByTestId('admin-credential-secret').textContent()) ?? '';
    const credentialRow = admin.locator('[data-testid="admin-credential-row"][data-name="match-server"]');
    await poll(() => credentialRow.count()).toBe(1);
    expect(await credentialRow.textContent()).toMatch(/last used never/);

    // The game server reports with it: two results above the review threshold are held, one counts.
    const game = createServerClient({ baseUrl: server.url, secret });
    const adaHeld = await game.submit({ userId: ada.userId, type: 'match-result', values: { 'match-score': 60_000 } });
    const bobHeld = await game.submit({ userId: bob.userId, type: 'match-result', values: { 'match-score': 70_000 } });
    const bobCounted = await game.submit({ userId: bob.userId, type: 'match-result', values: { 'match-score': 20_000 } });
    expect([isHeld(adaHeld), isHeld(bobHeld), isHeld(bobCounted)]).toEqual([true, true, false]);
    await poll(() => playerRow(player, bob.userId)).toEqual({ rank: 1, score: 20_000 });
    expect(await playerRow(player, ada.userId)).toBeNull();

    // The console finds them by itself (its periodic refresh), oldest first.
    await poll(() => rows(admin, 'admin-review-row').evaluateAll((all) => all.map((row) => (row as HTMLElement).dataset.actionId))).toEqual([adaHeld.action.id, bobHeld.action.id]);
    const adaReview = admin.locator(`[data-testid="admin-review-row"][data-action-id="${adaHeld.action.id}"]`);
    expect(await adaReview.textContent()).toMatch(/ada.*match-result.*match-score 60,000.*"match-score" 60000 is above its review threshold 50000/);
    await poll(() => credentialRow.textContent()).not.toMatch(/last used never/);
    await poll(() => rows(admin, 'admin-webhook-row').count()).toBeGreaterThanOrEqual(2);
    await poll(() => boardRow(admin, 'best-match').getAttribute('data-total')).toBe('1');

    // The pictures (docs/images/console.png is the first): a player found, the queue, the new secret.
    await admin.getByTestId('admin-user-search').fill('ada');
    await poll(() => rows(admin, 'admin-user-row').count()).toBe(1);
    await admin.mouse.move(0, 0);
    await admin.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'console.png') });
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'console-full.png'), fullPage: true });
    // On a phone, loaded at that width (a desktop page shrunk to it leaves Chromium's full-page capture half painted).
    const phone = await browser.newContext({ viewport: { width: 375, height: 812 } });
    onTestFinished(() => phone.close());
    const small = await phone.newPage();
    await openConsole(small, server.url, ADMIN);
    await small.getByTestId('admin-user-search').fill('ada');
    await poll(() => rows(small, 'admin-user-row').count()).toBe(1);
    await poll(() => rows(small, 'admin-review-row').count()).toBe(2);
    await poll(() => rows(small, 'admin-webhook-row').count()).toBeGreaterThanOrEqual(2);
    await small.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await small.screenshot({ path: path.join(SCREENSHOTS, 'console-phone.png'), fullPage: true });
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBe(375);

    // Approved: it counts on its board at once, on the player page and in the API.
    await adaReview.getByTestId('admin-approve').click();
    await poll(() => adaReview.count()).toBe(0);
    await poll(() => playerRow(player, ada.userId)).toEqual({ rank: 1, score: 60_000 });
    expect((await api.board('best-match')).entries.map((entry) => [entry.username, entry.score])).toEqual([
      ['ada', 60_000],
      ['bob', 20_000],
    ]);
    // Rejected: it never counts.
    await admin.locator(`[data-testid="admin-review-row"][data-action-id="${bobHeld.action.id}"]`).getByTestId('admin-reject').click();
    await poll(() => rows(admin, 'admin-review-row').count()).toBe(0);
    await poll(() => boardRow(admin, 'best-match').getAttribute('data-total')).toBe('2');
    expect((await api.board('best-match')).entries.map((entry) => [entry.username, entry.score])).toEqual([
      ['ada', 60_000],
      ['bob', 20_000],
    ]);
    await poll(async () => (await texts(admin, 'admin-audit-row')).slice(0, 2).map((text) => /review\.(approved|rejected)/.exec(text)?.[0])).toEqual(['review.rejected', 'review.approved']);

    // Revoked (a second click confirms): the row goes, and the secret stops working at once.
    await credentialRow.getByTestId('admin-credential-revoke').click();
    expect(await credentialRow.getByTestId('admin-credential-revoke').textContent()).toBe('Click again to revoke');
    await credentialRow.getByTestId('admin-credential-revoke').click();
    await poll(() => credentialRow.count()).toBe(0);
    const refused = await game.submit({ userId: ada.userId, type: 'match-result', values: { 'match-score': 10 } }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LeaderboardError);
    expect(refused).toMatchObject({ status: 401 });

    // A name in use: a human message from the problem's code.
    await admin.getByTestId('admin-credential-name').fill('other');
    await admin.getByTestId('admin-credential-create').click();
    await poll(() => admin.getByTestId('admin-credential-row').count()).toBe(1);
    await admin.getByTestId('admin-credential-name').fill('other');
    await admin.getByTestId('admin-credential-create').click();
    await poll(() => admin.getByTestId('error').textContent()).toBe('A credential with that name exists already. Pick another name.');

    expect(issues.errors).toEqual(['Failed to load resource: the server responded with a status of 409 (Conflict)']);
  });

  it('lists webhook deliveries with their errors, and shows hostile text as text, running nothing', { timeout: 90_000 }, async () => {
    const nobody = `http://127.0.0.1:${await freePort()}/hooks/down`;
    const { server, api, receiver, context } = await startConsole(browser, [nobody]);
    receiver.answerNext('fail');
    await api.player(ADMIN);
    const first = await api.player('x_onerror-1');
    await api.player('x_onerror-2');
    // Usernames cannot carry markup, but a refused action's type reaches the audit log as sent.
    for (const type of [IMG, SCRIPT]) expect((await api.act(first.token, { type })).status).toBe(422);

    const admin = await context.newPage();
    const issues = await watch(admin);
    await openConsole(admin, server.url, ADMIN);
    await admin.getByTestId('admin-user-search').fill('x_onerror');
    await poll(() => rows(admin, 'admin-user-row').evaluateAll((all) => all.map((row) => row.querySelector('.user-name')?.textContent))).toEqual(['x_onerror-1', 'x_onerror-2']);
    await admin.locator(`[data-testid="admin-user-row"][data-user-id="${first.userId}"]`).getByTestId('admin-ban').click();

    // user.banned to both receivers: the first answers 500, the second is not there.
    await poll(() => rows(admin, 'admin-webhook-row').count()).toBe(2);
    const deliveries = () => texts(admin, 'admin-webhook-row');
    await poll(deliveries).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^user\\.banned(pending|delivered).*${literal(receiver.url)}.*(Last|Earlier) error: HTTP 500$`)),
        expect.stringMatching(new RegExp(`^user\\.banned(pending|failed).*${literal(nobody)}.*Last error: connect ECONNREFUSED`)),
      ]),
    );

    // The audit log shows the refused types character for character.
    const actions = () => admin.locator('[data-testid="admin-audit-row"] .audit-action').allTextContents();
    await poll(actions).toEqual(expect.arrayContaining([`${IMG} · unknown_action`, `${SCRIPT} · unknown_action`]));
    expect(await admin.locator('[data-testid="admin-audit-row"] .audit-detail').allTextContents()).toContain(`There is no action of type "${IMG}".`);

    // What the server cannot produce (markup in names, reasons, URLs, errors) the console may
    // still be sent by a broken or hostile proxy: every list shows it as text.
    const hostile = (field: string) => `${IMG}${SCRIPT}<b>${field}</b>`;
    const now = new Date().toISOString();
    const answers: Record<string, unknown> = {
      '/api/v1/admin/users': { users: [{ id: hostile('id'), username: hostile('username'), createdAt: now, banned: false }] },
      '/api/v1/admin/review': {
        total: 1,
        held: [{ action: { id: hostile('action'), type: hostile('type'), values: { [hostile('metric')]: 1 }, at: now }, userId: hostile('user'), username: hostile('name'), reason: hostile('reason') }],
      },
      '/api/v1/admin/credentials': { credentials: [{ name: hostile('credential'), createdAt: now, lastUsedAt: null }] },
      '/api/v1/admin/webhooks/deliveries': { deliveries: [{ id: hostile('webhook'), type: hostile('event'), url: hostile('url'), status: 'failed', attempts: 9, lastError: hostile('error'), createdAt: now }] },
    };
    const fake = (route: Route) => route.fulfill({ json: answers[new URL(route.request().url()).pathname] });
    await admin.route((url) => Object.hasOwn(answers, url.pathname), fake);
    await poll(() => admin.locator('[data-testid="admin-webhook-row"] .webhook-error').allTextContents()).toEqual([`Last error: ${hostile('error')}`]);
    await poll(() => admin.locator('[data-testid="admin-user-row"] .user-name').allTextContents()).toEqual([hostile('username')]);
    expect(await admin.locator('[data-testid="admin-review-row"] .review-reason').allTextContents()).toEqual([hostile('reason')]);
    expect(await admin.locator('[data-testid="admin-credential-row"] .credential-name').allTextContents()).toEqual([hostile('credential')]);
    expect(await admin.locator('[data-testid="admin-webhook-row"] .webhook-url').allTextContents()).toEqual([hostile('url')]);
    await admin.screenshot({ path: path.join(SCREENSHOTS, 'console-hostile.png'), fullPage: true });

    expect(await injected(admin)).toBe(0);
    expect(await issues.pwned()).toBeUndefined();
    expect(issues.dialogs).toEqual([]);
    expect(await issues.violations()).toEqual([]);
    expect(issues.errors).toEqual([]);
  });

  it('refuses a player who is not an operator: the refusal, and no data', { timeout: 60_000 }, async () => {
    const { server, api, context } = await startConsole(browser);
    const eve = await api.player('eve');
    await clicks(api, eve.token, 2);
    const page = await context.newPage();
    const issues = await watch(page);
    const adminCalls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/v1/admin/')) adminCalls.push(request.url());
    });

    // The page's clock, to run its periodic refresh at will.
    await page.clock.install();
    await page.goto(`${server.url}/admin`);
    await page.getByTestId('auth-username').fill('eve');
    await page.getByTestId('auth-password').fill('wrong-password');
    await page.getByTestId('auth-login').click();
    await poll(() => page.getByTestId('error').textContent()).toBe('Wrong username or password.');

    await openConsole(page, server.url, 'eve');
    await poll(() => page.getByTestId('error').textContent()).toBe(REFUSAL);
    expect(await page.getByTestId('error').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Not an operator' }).isVisible()).toBe(true);
    expect(await page.getByTestId('admin-user-search').isVisible()).toBe(false);
    // Two refresh periods later: still nothing asked, nothing shown.
    await page.clock.runFor(11_000);
    expect(await page.locator('[data-testid^="admin-"][data-testid$="-row"]').count()).toBe(0);
    expect(adminCalls).toEqual([]);

    // The same after a reload, and logging out leads back to the sign-in.
    await page.reload();
    await poll(() => page.getByTestId('error').textContent()).toBe(REFUSAL);
    expect(await page.locator('[data-testid^="admin-"][data-testid$="-row"]').count()).toBe(0);
    await page.getByTestId('auth-logout').click();
    await poll(() => page.getByTestId('auth-login').isVisible()).toBe(true);
    expect(await page.getByTestId('error').textContent()).toBe('');

    // The admin calls themselves answer 403 to her token.
    const forbidden = await api.get('/api/v1/admin/users?query=e', eve.token);
    expect(forbidden.status).toBe(403);
    expect(issues.errors).toEqual(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
  });
});

/** `text` as a literal inside a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
