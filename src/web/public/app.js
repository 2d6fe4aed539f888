// @ts-check
/** @typedef {import('@live-leaderboard/client').BoardEntry} BoardEntry */
/** @typedef {import('@live-leaderboard/client').Board} Board */
/** @typedef {import('@live-leaderboard/client').ConnectionStatus} ConnectionStatus */
/** @typedef {import('@live-leaderboard/client').Subscription} Subscription */
/** @typedef {import('@live-leaderboard/client').TopList} TopList */
// The client library (served from /client/, mapped by the page's import map): the session and
// its token refresh, the actions, and the live lists with their reconnects all live there.
import { LeaderboardError, createClient, webStorageTokenStore } from '@live-leaderboard/client';
import { ActionPanel } from './action-panel.js';
import { describeError } from './error-messages.js';
import { ICONS, formatDuration, formatValue, hueOf, icon, valueLabel } from './format.js';
import { LeaderboardTable } from './leaderboard-table.js';

/** Rows shown per board. */
const BOARD_LIMIT = 10;
/** Entries shown above and below the player in the around-me panel. */
const AROUND_RADIUS = 2;
/** While the player is below the visible rows, other players can pass them unseen: re-read their rank at most this often. */
const MY_RANK_REFRESH_MS = 2_000;

/**
 * @template {HTMLElement} T
 * @param {string} selector
 * @returns {T}
 */
function $(selector) {
  const element = document.querySelector(selector);
  if (!element) throw new Error(`missing ${selector}`);
  return /** @type {T} */ (element);
}

const ui = {
  authForm: /** @type {HTMLFormElement} */ ($('#auth-form')),
  username: /** @type {HTMLInputElement} */ ($('[data-testid="auth-username"]')),
  password: /** @type {HTMLInputElement} */ ($('[data-testid="auth-password"]')),
  register: /** @type {HTMLButtonElement} */ ($('[data-testid="auth-register"]')),
  login: /** @type {HTMLButtonElement} */ ($('[data-testid="auth-login"]')),
  logout: /** @type {HTMLButtonElement} */ ($('[data-testid="auth-logout"]')),
  profile: $('#profile'),
  avatar: $('#profile-avatar'),
  currentUser: $('[data-testid="current-user"]'),
  myRank: $('[data-testid="my-rank"]'),
  aroundMe: $('[data-testid="around-me"]'),
  myRankBoard: $('#my-rank-board'),
  actions: $('#actions'),
  actionsHint: $('#actions-hint'),
  boardSelect: /** @type {HTMLSelectElement} */ ($('[data-testid="board-select"]')),
  boardMeta: $('#board-meta'),
  boardCaption: $('#board-caption'),
  boardRows: /** @type {HTMLTableSectionElement} */ ($('#board-rows')),
  valueHead: $('#value-head'),
  connection: $('#connection'),
  connectionStatus: $('[data-testid="connection-status"]'),
  errorBanner: $('#error-banner'),
  error: $('[data-testid="error"]'),
  errorDismiss: /** @type {HTMLButtonElement} */ ($('#error-dismiss')),
};

// sessionStorage: a reload of this tab keeps the player logged in; the token dies with the tab.
const client = createClient({ tokenStore: webStorageTokenStore(sessionStorage) });
const table = new LeaderboardTable(ui.boardRows);

/** @type {{ boards: Board[], board: string, top: Subscription | undefined, around: Subscription | undefined, shown: boolean, my: { rank: number, score: number } | undefined, myVersion: number, knownUnranked: boolean }} */
const state = {
  boards: [],
  board: 'global',
  top: undefined,
  around: undefined,
  // Whether the shown board's list has been drawn once (the first drawing is not animated).
  shown: false,
  my: undefined,
  // Bumped by every rank message: a /me answer that was asked for before one is stale.
  myVersion: 0,
  // A player who just registered has no entry yet: asking would only earn a 404.
  knownUnranked: false,
};

// ── Errors ───────────────────────────────────────────────────────────────────

/**
 * @param {unknown} error
 * @param {Parameters<typeof describeError>[1]} context
 */
function showError(error, context) {
  if (!(error instanceof LeaderboardError)) throw error;
  ui.error.textContent = describeError(error, context);
  ui.errorBanner.dataset.visible = 'true';
}

function clearError() {
  ui.error.textContent = '';
  ui.errorBanner.dataset.visible = 'false';
}

ui.errorDismiss.addEventListener('click', clearError);

// ── Session ──────────────────────────────────────────────────────────────────

/** @param {'login' | 'register'} kind */
async function authenticate(kind) {
  clearError();
  const username = ui.username.value.trim();
  const password = ui.password.value;
  if (!/^[A-Za-z0-9_-]{3,32}$/.test(username) || password.length < 8 || password.length > 128) {
    showError(new LeaderboardError('invalid_request', 400, 'checked in the page'), { doing: kind });
    (username.length < 3 ? ui.username : ui.password).focus();
    return;
  }
  setBusy(true);
  try {
    if (kind === 'register') {
      state.knownUnranked = true;
      await client.auth.register({ username, password });
    } else {
      state.knownUnranked = false;
      await client.auth.login({ username, password });
    }
    ui.password.value = '';
  } catch (error) {
    showError(error, { doing: kind });
    (error instanceof LeaderboardError && error.code === 'conflict' ? ui.username : ui.password).focus();
  } finally {
    setBusy(false);
  }
}

/** @param {boolean} busy */
function setBusy(busy) {
  for (const button of [ui.login, ui.register]) button.disabled = busy;
  ui.authForm.setAttribute('aria-busy', String(busy));
}

ui.authForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void authenticate('login');
});
ui.register.addEventListener('click', () => void authenticate('register'));
ui.logout.addEventListener('click', () => {
  clearError();
  void client.auth.logout();
});

client.auth.onChange((user, change) => {
  // A refreshed token changes nothing on the page (the library re-identifies the socket itself).
  if (change === 'refresh') return;
  const loggedIn = user !== undefined;
  ui.authForm.hidden = loggedIn;
  ui.profile.hidden = !loggedIn;
  ui.currentUser.textContent = user?.username ?? '';
  ui.avatar.textContent = user ? user.username.charAt(0).toUpperCase() : '';
  ui.avatar.style.setProperty('--hue', String(hueOf(user?.id ?? '')));
  ui.actionsHint.textContent = loggedIn ? 'Tap to score. The server decides what each action is worth.' : 'Log in to start scoring.';
  table.setMe(user?.id);
  actions.setEnabled(loggedIn);
  // Around-me follows the player; the library sends it once the socket has confirmed them.
  followAround(loggedIn);
  setMyRank(undefined);
  if (loggedIn) {
    ui.logout.focus();
    void loadMyRank();
  } else {
    state.knownUnranked = false;
    ui.username.focus();
    if (change === 'expired') showError(new LeaderboardError('token_expired', 401, ''), { doing: 'session' });
  }
});

// ── My rank ──────────────────────────────────────────────────────────────────

/** @param {{ rank: number, score: number } | undefined} my */
function setMyRank(my) {
  state.my = my;
  ui.myRankBoard.textContent = boardName(state.board);
  ui.myRank.replaceChildren();
  if (!my) {
    ui.myRank.dataset.rank = '';
    ui.myRank.dataset.score = '';
    const empty = document.createElement('span');
    empty.className = 'my-rank-empty';
    empty.textContent = 'Not ranked yet. Score to get on the board!';
    ui.myRank.append(empty);
    return;
  }
  ui.myRank.dataset.rank = String(my.rank);
  ui.myRank.dataset.score = String(my.score);
  const rank = document.createElement('span');
  rank.className = 'my-rank-number';
  rank.textContent = `#${my.rank}`;
  const score = document.createElement('span');
  score.className = 'my-rank-score';
  const metric = currentBoard()?.metric ?? 'points';
  score.textContent = metric === 'points' ? `${formatValue(my.score)} pts` : formatValue(my.score, metric);
  ui.myRank.append(rank, ' · ', score);
}

/** The initial value, and a catch-up after anything that may have missed `rank` messages. */
async function loadMyRank() {
  if (!client.auth.user || state.knownUnranked) return;
  const board = state.board;
  const version = state.myVersion;
  try {
    // /me/ranks, where unranked is an answer, not the 404 of …/{board}/me that the browser would log.
    const entry = (await client.boards.myRanks()).find((rank) => rank.board === board);
    if (board === state.board && version === state.myVersion && client.auth.user) setMyRank(entry);
  } catch (error) {
    if (error instanceof LeaderboardError && error.code === 'network') return; // the badge shows offline; read again when live
    showError(error, { doing: 'session' });
  }
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let myRankTimer;
function refreshMyRankSoon() {
  myRankTimer ??= setTimeout(() => {
    myRankTimer = undefined;
    void loadMyRank();
  }, MY_RANK_REFRESH_MS);
}

// ── Live board ───────────────────────────────────────────────────────────────

/** @param {ConnectionStatus} connection */
function onConnectionState(connection) {
  ui.connectionStatus.textContent = connection;
  ui.connection.dataset.state = connection;
  // Back online: `rank` messages sent while the socket was down are lost; read the current value.
  if (connection === 'live') void loadMyRank();
}

/** The shown board's top list, kept current by the library from snapshots, deltas and resumes. @param {TopList} list */
function onTopList(list) {
  if (list.board !== state.board) return;
  table.render(list.entries, { animate: state.shown });
  state.shown = true;
  followMyRow(list.entries);
}

client.live.onRank((change) => {
  if (change.board !== state.board || !client.auth.user) return;
  state.myVersion += 1;
  state.knownUnranked = false;
  setMyRank({ rank: change.rank, score: change.score });
});

/** Subscribes the around-me panel to the shown board while logged in. @param {boolean} loggedIn */
function followAround(loggedIn) {
  state.around?.close();
  state.around = undefined;
  renderAround([], undefined);
  if (!loggedIn) return;
  const board = state.board;
  state.around = client.live.subscribe({
    board,
    around: 'me',
    radius: AROUND_RADIUS,
    onChange: (window) => {
      if (window.board === state.board) renderAround(window.entries, window.me?.userId);
    },
  });
}

/**
 * The visible rows are as fresh as anything: use them for the player's own rank, and when the
 * player is below them, re-read it (someone may have passed them without changing their score).
 * @param {BoardEntry[]} entries
 */
function followMyRow(entries) {
  const me = client.auth.user;
  if (!me) return;
  const mine = entries.find((entry) => entry.userId === me.id);
  if (mine) {
    state.myVersion += 1;
    state.knownUnranked = false;
    setMyRank({ rank: mine.rank, score: mine.score });
  } else if (state.my) {
    refreshMyRankSoon();
  }
}

/**
 * The around-me panel: the player and the players just above and below, as the server keeps
 * it current (an around-me subscription).
 * @param {BoardEntry[]} entries
 * @param {string | undefined} myId
 */
function renderAround(entries, myId) {
  const metric = currentBoard()?.metric ?? 'points';
  if (entries.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'around-empty';
    empty.textContent = client.auth.user ? 'Score to see who is around you.' : '';
    ui.aroundMe.replaceChildren(empty);
    return;
  }
  ui.aroundMe.replaceChildren(
    ...entries.map((entry) => {
      const row = document.createElement('li');
      row.className = entry.userId === myId ? 'around-row is-me' : 'around-row';
      row.dataset.testid = 'around-row';
      row.dataset.userId = entry.userId;
      row.dataset.rank = String(entry.rank);
      row.dataset.score = String(entry.score);
      const rank = document.createElement('span');
      rank.className = 'around-rank';
      rank.textContent = `#${entry.rank}`;
      const name = document.createElement('span');
      name.className = 'around-name';
      name.textContent = entry.username;
      const value = document.createElement('span');
      value.className = 'around-score';
      value.textContent = metric === 'points' ? `${formatValue(entry.score)} pts` : formatValue(entry.score, metric);
      row.append(rank, name, value);
      return row;
    }),
  );
}

/** @param {string} board */
function showBoard(board) {
  state.board = board;
  state.shown = false;
  const name = boardName(board);
  ui.boardCaption.textContent = `Top ${BOARD_LIMIT} players on the ${name} board`;
  table.showMessage('Loading…');
  renderBoardMeta();
  state.top?.close();
  state.top = client.live.subscribe({ board, limit: BOARD_LIMIT, onChange: onTopList });
  followAround(client.auth.user !== undefined);
  if (client.auth.user) {
    setMyRank(undefined);
    void loadMyRank();
  }
}

/** `fastest-sprint` → `Fastest sprint`. @param {string} id */
function boardName(id) {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** @param {Board} board */
function periodName(board) {
  return { 'all-time': 'All time', daily: 'Today', weekly: 'This week', monthly: 'This month', season: 'Season' }[board.period] ?? board.period;
}

/** The board shown, once the list of boards has loaded. */
function currentBoard() {
  return state.boards.find((candidate) => candidate.id === state.board);
}

/**
 * A season's state and the time to its next change: `Season starts in 3d 4h`, `Season · ends
 * in 5h 12m`, `Season closed`.
 * @param {Board} board
 */
function seasonText(board) {
  const now = Date.now();
  if (board.state === 'upcoming' && board.startsAt) return `Season starts in ${formatDuration(Date.parse(board.startsAt) - now)}`;
  if (board.state === 'live' && board.endsAt) return `Season · ends in ${formatDuration(Date.parse(board.endsAt) - now)}`;
  return 'Season closed';
}

function renderBoardMeta() {
  const board = currentBoard();
  table.metric = board?.metric ?? 'points';
  ui.valueHead.textContent = valueLabel(board?.metric);
  if (!board) {
    ui.boardMeta.textContent = '';
    return;
  }
  const resets = board.resetsAt ? Date.parse(board.resetsAt) - Date.now() : undefined;
  if (resets !== undefined && resets <= 0) {
    void loadBoards(); // a new period began: fetch its reset time
    return;
  }
  const order = board.order === 'asc' ? ' · lowest first' : '';
  if (board.period === 'season') {
    // A season that just started or closed: fetch its new state.
    if (board.state !== 'closed' && Date.parse((board.state === 'upcoming' ? board.startsAt : board.endsAt) ?? '') <= Date.now()) void loadBoards();
    ui.boardMeta.textContent = `${seasonText(board)}${order}`;
    return;
  }
  ui.boardMeta.textContent =
    resets === undefined ? `${periodName(board)} · top ${BOARD_LIMIT}${order}` : `${periodName(board)} · resets in ${formatDuration(resets)}${order}`;
}

async function loadBoards() {
  const boards = await client.boards.list();
  state.boards = boards;
  const selected = boards.some((board) => board.id === state.board) ? state.board : (boards[0]?.id ?? 'global');
  ui.boardSelect.replaceChildren(
    ...boards.map((board) => {
      const option = document.createElement('option');
      option.value = board.id;
      option.textContent = boardName(board.id);
      return option;
    }),
  );
  ui.boardSelect.value = selected;
  if (selected !== state.board || !state.top) showBoard(selected);
  else renderBoardMeta();
}

ui.boardSelect.addEventListener('change', () => showBoard(ui.boardSelect.value));
setInterval(renderBoardMeta, 30_000);

// ── Wiring ───────────────────────────────────────────────────────────────────

client.live.onStatus(onConnectionState);

const actions = new ActionPanel({
  container: ui.actions,
  actions: client.actions,
  onStart: clearError,
  onError: (error, action) => showError(error, { doing: 'action', action }),
  onScored: (receipt) => {
    // The receipt carries the new totals at once; the rank follows over the socket.
    const score = receipt.totals[state.board];
    if (score !== undefined && state.my) setMyRank({ rank: state.my.rank, score });
  },
});

/**
 * Runs `load` until it succeeds, waiting longer after each failure to reach the server (which
 * the connection badge already shows); any other failure is reported once and ends the attempt.
 * @param {() => Promise<void>} load
 * @param {Parameters<typeof describeError>[1]['doing']} doing
 */
async function keepTrying(load, doing) {
  for (let delay = 1_000; ; delay = Math.min(delay * 2, 15_000)) {
    try {
      await load();
      return;
    } catch (error) {
      if (!(error instanceof LeaderboardError)) throw error;
      if (error.code !== 'network' && error.code !== 'unavailable') {
        showError(error, { doing });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

ui.errorBanner.prepend(icon(ICONS.alert, 'icon error-icon'));
ui.errorDismiss.append(icon(ICONS.close));
setMyRank(undefined);
onConnectionState(client.live.status);
void keepTrying(async () => actions.setActions(await client.actions.list()), 'load');
void keepTrying(loadBoards, 'load');
void keepTrying(async () => void (await client.auth.restore()), 'session');
