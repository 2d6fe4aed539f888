// @ts-check
/** @typedef {import('@live-leaderboard/client').LeaderboardClient} LeaderboardClient */
/** @typedef {import('@live-leaderboard/client').Me} Me */
/** @typedef {import('./console-messages.js').Doing} Doing */
// The operator console (GET /admin): every call goes through the client library (served from
// /client/, mapped by the page's import map), which keeps the session and refreshes its token.
import { LeaderboardError, createClient, webStorageTokenStore } from '@live-leaderboard/client';
import { auditSection } from './console-audit.js';
import { boardsSection } from './console-boards.js';
import { credentialsSection } from './console-credentials.js';
import { $, whileBusy } from './console-dom.js';
import { REFUSAL, describeProblem } from './console-messages.js';
import { playersSection } from './console-players.js';
import { reviewSection } from './console-review.js';
import { webhooksSection } from './console-webhooks.js';

/** While the console is visible, every list is read again this often. */
const REFRESH_MS = 5_000;

/**
 * A part of the console: `load` reads what it shows and answers how to draw it, so that
 * nothing is drawn for a session that ended while the answer was on its way.
 * @typedef {object} Section
 * @property {() => Promise<() => void>} load
 * @property {() => void} clear forgets everything shown
 */

/**
 * What the sections get from the console.
 * @typedef {object} Operator
 * @property {LeaderboardClient} client
 * @property {(button: HTMLButtonElement, doing: Doing, task: () => Promise<unknown>) => Promise<void>} act
 *   runs an operator's action: the button busy meanwhile, a failure shown, then every list read again
 * @property {(section: Section, doing: Doing) => Promise<void>} reload reads and draws one section again
 * @property {(message: string) => void} say shows a message in the error line
 */

const ui = {
  form: /** @type {HTMLFormElement} */ ($('#auth-form')),
  username: /** @type {HTMLInputElement} */ ($('[data-testid="auth-username"]')),
  password: /** @type {HTMLInputElement} */ ($('[data-testid="auth-password"]')),
  login: /** @type {HTMLButtonElement} */ ($('[data-testid="auth-login"]')),
  logout: /** @type {HTMLButtonElement} */ ($('[data-testid="auth-logout"]')),
  loginPanel: $('#login'),
  refusal: $('#refusal'),
  console: $('#console'),
  session: $('#session'),
  currentUser: $('[data-testid="current-user"]'),
  refreshed: $('#refreshed'),
  search: /** @type {HTMLInputElement} */ ($('[data-testid="admin-user-search"]')),
  errorBanner: $('#error-banner'),
  error: $('[data-testid="error"]'),
  errorDismiss: /** @type {HTMLButtonElement} */ ($('#error-dismiss')),
};

// sessionStorage under a key of its own: a reload keeps the operator signed in, the tab's end
// ends it, and the player page in another tab keeps its own session.
const client = createClient({ tokenStore: webStorageTokenStore(sessionStorage, 'live-leaderboard.console-refresh-token') });

/** @typedef {'starting' | 'login' | 'refused' | 'console'} View */

/** @type {{ view: View, epoch: number, errorFromRefresh: boolean }} */
const state = {
  view: 'starting',
  // Bumped whenever the view changes: an answer that arrives after that is not drawn.
  epoch: 0,
  // Whether the message shown came from a periodic read (cleared once reading works again).
  errorFromRefresh: false,
};

// ── Messages ─────────────────────────────────────────────────────────────────

/** @param {string} message */
function say(message, fromRefresh = false) {
  ui.error.textContent = message;
  ui.errorBanner.dataset.visible = 'true';
  state.errorFromRefresh = fromRefresh;
}

function clearError() {
  ui.error.textContent = '';
  ui.errorBanner.dataset.visible = 'false';
  state.errorFromRefresh = false;
}

ui.errorDismiss.addEventListener('click', clearError);

/**
 * Shows what went wrong; a refusal or an ended session also changes the view.
 * @param {unknown} error
 * @param {Doing} doing
 */
function fail(error, doing, fromRefresh = false) {
  if (!(error instanceof LeaderboardError)) {
    say(describeProblem(new LeaderboardError('invalid_response', 0, ''), doing));
    throw error;
  }
  if (error.code === 'forbidden') return refuse();
  if (doing !== 'login' && (error.code === 'unauthorized' || error.code === 'token_expired')) {
    void client.auth.logout();
  }
  say(describeProblem(error, doing), fromRefresh);
}

// ── Views ────────────────────────────────────────────────────────────────────

/** @param {View} view */
function show(view) {
  state.view = view;
  state.epoch += 1;
  ui.loginPanel.hidden = view !== 'login';
  ui.refusal.hidden = view !== 'refused';
  ui.console.hidden = view !== 'console';
  ui.session.hidden = view === 'login' || view === 'starting';
  ui.currentUser.textContent = client.auth.user?.username ?? '';
  if (view !== 'console') {
    for (const section of sections) section.clear();
    ui.refreshed.textContent = '';
  }
}

/** A non-admin: the refusal, and nothing the admin calls would have shown. */
function refuse() {
  show('refused');
  say(REFUSAL);
  ui.logout.focus();
}

/** @param {Me} user */
function enter(user) {
  clearError();
  if (!user.roles.includes('admin')) return refuse();
  show('console');
  ui.search.focus();
  void refreshAll();
}

client.auth.onChange((user, change) => {
  if (change === 'refresh') return;
  if (user) return enter(user);
  show('login');
  if (change === 'expired') say('Your session expired. Log in again.');
  ui.username.focus();
});

// ── Reading the lists ────────────────────────────────────────────────────────

/** @type {Operator} */
const operator = {
  client,
  act: async (button, doing, task) => {
    clearError();
    await whileBusy(button, async () => {
      try {
        await task();
      } catch (error) {
        fail(error, doing);
      }
    });
    await refreshAll();
  },
  reload: async (section, doing) => {
    const epoch = state.epoch;
    try {
      const draw = await section.load();
      if (epoch === state.epoch) draw();
    } catch (error) {
      if (epoch === state.epoch) fail(error, doing);
    }
  },
  say: (message) => say(message),
};

/** @type {Section[]} */
const sections = [playersSection(operator), reviewSection(operator), boardsSection(operator), credentialsSection(operator), webhooksSection(operator), auditSection(operator)];

/** Reads every section, then draws those that answered and shows the first failure. */
async function refreshOnce() {
  const epoch = state.epoch;
  const results = await Promise.allSettled(sections.map((section) => section.load()));
  if (epoch !== state.epoch || state.view !== 'console') return;
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [/** @type {unknown} */ (result.reason)] : []));
  // A refusal shows nothing at all, not even what the other calls answered.
  const refused = failures.find((error) => error instanceof LeaderboardError && error.code === 'forbidden');
  if (refused) return fail(refused, 'load', true);
  for (const result of results) if (result.status === 'fulfilled') result.value();
  if (failures.length > 0) return fail(failures[0], 'load', true);
  if (state.errorFromRefresh) clearError();
  ui.refreshed.textContent = `Updated ${new Date().toISOString().slice(11, 19)} UTC`;
}

/** @type {Promise<void> | undefined} */
let refreshing;
let refreshAgain = false;

/**
 * Reads everything again. A call while a read is under way runs one more after it: that read
 * may have been answered before the change the caller wants to see.
 */
function refreshAll() {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      await refreshOnce();
    } while (refreshAgain && state.view === 'console');
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

setInterval(() => {
  if (state.view === 'console' && document.visibilityState === 'visible') void refreshAll();
}, REFRESH_MS);
document.addEventListener('visibilitychange', () => {
  if (state.view === 'console' && document.visibilityState === 'visible') void refreshAll();
});

// ── Session ──────────────────────────────────────────────────────────────────

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearError();
  const username = ui.username.value.trim();
  const password = ui.password.value;
  if (!/^[A-Za-z0-9_-]{3,32}$/.test(username) || password.length < 8 || password.length > 128) {
    say(describeProblem(new LeaderboardError('invalid_request', 400, 'checked in the page'), 'login'));
    return;
  }
  void whileBusy(ui.login, async () => {
    try {
      await client.auth.login({ username, password });
      ui.password.value = '';
    } catch (error) {
      fail(error, 'login');
      ui.password.focus();
    }
  });
});

ui.logout.addEventListener('click', () => {
  clearError();
  void client.auth.logout();
});

// A reload keeps the operator signed in (the refresh token is in this tab's sessionStorage).
try {
  if (!(await client.auth.restore())) show('login');
} catch (error) {
  show('login');
  fail(error, 'session');
}
